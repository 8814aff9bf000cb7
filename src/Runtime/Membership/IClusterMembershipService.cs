namespace Switchboard.Runtime.Membership;

/// <summary>
/// Read side of membership for any node (silo or gateway client): the current view and a notification whenever it
/// changes. Silos keep it fresh through their membership agent; clients through a periodic table read.
/// </summary>
public interface IClusterMembershipService
{
    /// <summary>The latest view. Immutable; replaced as a whole on every change.</summary>
    ClusterMembershipSnapshot CurrentSnapshot { get; }

    /// <summary>Raised after <see cref="CurrentSnapshot"/> changed (new table version, suspicion or store
    /// reachability). Handlers must be quick and must not throw.</summary>
    event Action<ClusterMembershipSnapshot>? SnapshotChanged;
}
