using Switchboard.Runtime.Membership;

namespace Switchboard.Runtime.Tests.Routing;

/// <summary>A membership view the test sets by hand.</summary>
internal sealed class FakeMembershipService : IClusterMembershipService
{
    private long _version;

    public ClusterMembershipSnapshot CurrentSnapshot { get; private set; } = ClusterMembershipSnapshot.Initial;

    public event Action<ClusterMembershipSnapshot>? SnapshotChanged;

    public void Set(params (SiloAddress Silo, SiloStatus Status)[] silos)
    {
        var entries = silos.Select(s => new MembershipEntry
        {
            Silo = s.Silo,
            Status = s.Status,
            SiloName = s.Silo.ToString(),
            HostName = "test",
            StartTime = DateTimeOffset.UnixEpoch,
            IAmAliveTime = DateTimeOffset.UnixEpoch,
        }).ToList();
        CurrentSnapshot = new ClusterMembershipSnapshot(new MembershipTableSnapshot(++_version, entries), true, new HashSet<SiloAddress>(), DateTimeOffset.UnixEpoch);
        SnapshotChanged?.Invoke(CurrentSnapshot);
    }
}
