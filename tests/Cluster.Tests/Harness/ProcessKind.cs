namespace Switchboard.Cluster.Tests.Harness;

/// <summary>Which host a <see cref="ClusterProcess"/> runs.</summary>
internal enum ProcessKind
{
    /// <summary><c>Switchboard.Silo.dll</c> in cluster mode: holds grains.</summary>
    Silo,

    /// <summary><c>Switchboard.Gateway.dll</c>: holds the Twilio sockets.</summary>
    Gateway,
}
