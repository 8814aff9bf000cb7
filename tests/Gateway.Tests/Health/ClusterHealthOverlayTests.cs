using Switchboard.Gateway.Health;
using Switchboard.Grains;
using Switchboard.Runtime.Membership;

namespace Switchboard.Gateway.Tests.Health;

public class ClusterHealthOverlayTests
{
    private static readonly SiloAddress S1 = new("127.0.0.1", 11111, 1);
    private static readonly SiloAddress S2 = new("127.0.0.1", 11112, 1);
    private static readonly HealthSnapshot Healthy = new(HealthStatus.Healthy, 10, 3, 1, 2, [], [new NodeHealth("g", NodeRole.Gateway, 3, DateTimeOffset.UnixEpoch, false)], []);

    [Fact]
    public void Apply_StoreUnreachable_Degraded()
    {
        var result = ClusterHealthOverlay.Apply(Healthy, View(storeReachable: false, (S1, SiloStatus.Active, 0)));

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("membership store unreachable", result.Reasons);
    }

    [Fact]
    public void Apply_ActiveSiloWithDeathVotes_DegradedNamingIt()
    {
        var result = ClusterHealthOverlay.Apply(Healthy, View(true, (S1, SiloStatus.Active, 1), (S2, SiloStatus.Active, 0)));

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains(result.Reasons, r => r.Contains(S1.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Apply_HealthGrainUnreachableButSilosActive_DegradedNotUnhealthy()
    {
        var unreachable = new HealthSnapshot(HealthStatus.Unhealthy, 0, 0, 0, 0, ["health grain unreachable: TimeoutException"], [], []);

        var result = ClusterHealthOverlay.Apply(unreachable, View(true, (S1, SiloStatus.Active, 0)));

        Assert.Equal(HealthStatus.Degraded, result.Status);
    }

    [Fact]
    public void Apply_HealthGrainUnreachableAndNoActiveSilo_StaysUnhealthy()
    {
        var unreachable = new HealthSnapshot(HealthStatus.Unhealthy, 0, 0, 0, 0, ["health grain unreachable: TimeoutException"], [], []);

        var result = ClusterHealthOverlay.Apply(unreachable, View(true, (S1, SiloStatus.Dead, 0)));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public void Apply_AllWell_SnapshotUnchanged()
        => Assert.Same(Healthy, ClusterHealthOverlay.Apply(Healthy, View(true, (S1, SiloStatus.Active, 0), (S2, SiloStatus.Dead, 2))));

    private static ClusterMembershipSnapshot View(bool storeReachable, params (SiloAddress Silo, SiloStatus Status, int Votes)[] silos)
    {
        var entries = silos.Select(s => new MembershipEntry
        {
            Silo = s.Silo,
            Status = s.Status,
            SiloName = "s",
            HostName = "h",
            StartTime = DateTimeOffset.UnixEpoch,
            IAmAliveTime = DateTimeOffset.UnixEpoch,
            SuspectTimes = [.. Enumerable.Range(0, s.Votes).Select(_ => new SuspectVote(S2, DateTimeOffset.UnixEpoch))],
        }).ToList();
        return new ClusterMembershipSnapshot(new MembershipTableSnapshot(1, entries), storeReachable, new HashSet<SiloAddress>(), DateTimeOffset.UnixEpoch);
    }
}
