using System.Globalization;
using Switchboard.Runtime.Membership;

namespace Switchboard.Cluster.Tests.Harness;

/// <summary>One row of <c>switchboard_membership</c> for the test's cluster.</summary>
internal sealed record MembershipRow(string Address, int Port, int Generation, string SiloName, SiloStatus Status)
{
    /// <summary>The silo's identity as the directory stores it: <c>host:port@generation</c>.</summary>
    public string SiloAddress => string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}@{Generation}");

    /// <inheritdoc />
    public override string ToString() => $"{SiloName} {SiloAddress} {Status}";
}
