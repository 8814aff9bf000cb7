namespace Switchboard.Gateway.Hosting;

/// <summary>Which Orleans grain directory the silos of a cluster run (<c>Cluster:GrainDirectory</c>); every silo of one
/// cluster must run the same one. Measured against each other in docs/cluster.md.</summary>
public enum GrainDirectoryKind
{
    /// <summary>The distributed directory (experimental in 10.4.2): a silo's failure or shutdown does not deactivate
    /// grains on the silos that keep running. The default.</summary>
    Distributed,
    /// <summary>Orleans' default directory: when a silo dies or shuts down, the others deactivate their own activations
    /// whose directory entry it held (<c>DirectoryFailure</c>), so calls on healthy silos restart from their checkpoint.</summary>
    Default,
}
