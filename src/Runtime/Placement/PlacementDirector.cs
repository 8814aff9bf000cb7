using Switchboard.Runtime.Membership;

namespace Switchboard.Runtime.Placement;

/// <summary>
/// Chooses the silo for a grain that has no activation: round-robin over the Active silos of this node's membership
/// view (sorted, so the order is stable). Round-robin rather than random so that a silo added to the cluster takes its
/// share of new calls at once and predictably; placement is decided once, when the activation is created, and the
/// directory (not placement) guarantees a single activation when two nodes place the same grain differently.
/// </summary>
internal sealed class PlacementDirector(IClusterMembershipService membership)
{
    private int _next = -1;

    /// <summary>The next Active silo other than <paramref name="exclude"/>, or null when there is none.</summary>
    public SiloAddress? Pick(SiloAddress? exclude)
    {
        var active = membership.CurrentSnapshot.ActiveSilos;
        var candidates = exclude is null ? active : [.. active.Where(s => s != exclude)];
        if (candidates.Count == 0)
        {
            return null;
        }

        var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)candidates.Count);
        return candidates[index];
    }
}
