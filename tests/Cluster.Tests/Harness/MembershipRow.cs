using System.Globalization;

namespace Switchboard.Cluster.Tests.Harness;

/// <summary>One row of Orleans' <c>orleansmembershiptable</c> for the test's cluster (<c>deploymentid</c> = ClusterId).</summary>
internal sealed record MembershipRow(string Address, int Port, int Generation, string SiloName, MemberStatus Status, int ProxyPort)
{
    /// <summary>The silo's identity: <c>host:port@generation</c>.</summary>
    public string SiloAddress => string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}@{Generation}");

    /// <inheritdoc />
    public override string ToString() => $"{SiloName} {SiloAddress} {Status}";
}
