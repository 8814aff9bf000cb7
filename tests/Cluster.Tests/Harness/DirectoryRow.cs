namespace Switchboard.Cluster.Tests.Harness;

/// <summary>One <c>connection</c> row of <c>switchboard_grain_directory</c>: which silo holds the grain of a stream.</summary>
internal sealed record DirectoryRow(string GrainKey, string Silo, string ActivationId)
{
    /// <inheritdoc />
    public override string ToString() => $"{GrainKey} on {Silo} ({ActivationId})";
}
