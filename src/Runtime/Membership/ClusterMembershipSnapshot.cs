namespace Switchboard.Runtime.Membership;

/// <summary>
/// This node's view of the cluster at one moment: the last table read plus what the local monitor knows that the
/// table may not show yet (silos it currently suspects, whether the store answered its last request).
/// </summary>
/// <param name="Table">The last successfully read table.</param>
/// <param name="StoreReachable">False while the membership store fails to answer.</param>
/// <param name="Suspected">Silos this node's probes currently fail on (not yet declared dead).</param>
/// <param name="ReadAt">When <paramref name="Table"/> was read.</param>
public sealed record ClusterMembershipSnapshot(
    MembershipTableSnapshot Table,
    bool StoreReachable,
    IReadOnlySet<SiloAddress> Suspected,
    DateTimeOffset ReadAt)
{
    /// <summary>The view before the first read: nothing known, store assumed reachable.</summary>
    public static ClusterMembershipSnapshot Initial { get; } = new(MembershipTableSnapshot.Empty, true, new HashSet<SiloAddress>(), DateTimeOffset.MinValue);

    /// <summary>Silos with status Active, sorted by address text (a stable order for placement).</summary>
    public IReadOnlyList<SiloAddress> ActiveSilos => [.. Table.Entries
        .Where(e => e.Status == SiloStatus.Active)
        .Select(e => e.Silo)
        .OrderBy(s => s.ToString(), StringComparer.Ordinal)];

    /// <summary>Status of <paramref name="silo"/> in this view; <see cref="SiloStatus.None"/> if unknown.</summary>
    public SiloStatus GetStatus(SiloAddress silo) => Table.Find(silo)?.Status ?? SiloStatus.None;

    /// <summary>Version of the table this view was built from.</summary>
    public long Version => Table.Version;
}
