using Switchboard.Grains.Tests.Hosting;
using Switchboard.TestInfrastructure;

namespace Switchboard.Grains.Tests.Health;

/// <summary>The health grain on a real two-silo cluster: reports aggregated on fake time, silos from Orleans' membership.</summary>
public sealed class HealthGrainTests
{
    [Fact]
    public async Task GetHealth_ReportsAndMembership_AggregatedAndStatusChangesLoggedOncePerChange()
    {
        await using var cluster = await GrainCluster.StartAsync(CheckpointStorage.Memory, silos: 2);
        var time = cluster.Time;
        var grain = cluster.Client.GetGrain<IHealthGrain>(IHealthGrain.Key);

        await grain.Report(new NodeReport("gw", NodeRole.Gateway, time.GetUtcNow(), time.GetUtcNow(), 2, []));
        await grain.Report(new NodeReport("s1", NodeRole.Silo, time.GetUtcNow(), time.GetUtcNow(), 2, []));
        await grain.Report(new NodeReport("s1", NodeRole.Silo, time.GetUtcNow(), time.GetUtcNow(), 2, []));

        // Reports are one-way and GetHealth interleaves: wait until the grain has taken all three.
        await TestWait.UntilAsync(() => cluster.Logs.Count(2100, "Cluster health") == 2, "the status changes of the gateway's and the silo's first reports");
        await TestWait.UntilAsync(async () => (await grain.GetHealth()).Nodes.Count == 2, "both reporters known to the health grain");
        time.Advance(TimeSpan.FromSeconds(3));

        var health = await grain.GetHealth();

        Assert.Equal((HealthStatus.Healthy, 2, 3.0), (health.Status, health.Connections, health.UptimeSeconds));
        Assert.Equal(2, cluster.Logs.Count(2100, "Cluster health"));
        var expected = cluster.Cluster.Silos.Select(s => s.SiloAddress.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(expected, health.Silos.Select(s => s.Address));
        Assert.All(health.Silos, s => Assert.Equal("Active", s.Status));
        Assert.Equal(cluster.Cluster.Silos.Select(s => s.Name).Order(StringComparer.Ordinal), health.Silos.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.True(health.MembershipVersion > 0, $"membership version {health.MembershipVersion}");
    }

    [Fact]
    public async Task GetHealth_SiloStopped_LeftOutOfTheMembershipAtANewerVersion()
    {
        await using var cluster = await GrainCluster.StartAsync(CheckpointStorage.Memory, silos: 2);
        var grain = cluster.Client.GetGrain<IHealthGrain>(IHealthGrain.Key);
        var before = await grain.GetHealth();
        var host = cluster.HostOf(grain) ?? throw new InvalidOperationException("the health grain has no activation after a call");
        var other = cluster.Cluster.Silos.Single(s => !s.SiloAddress.Equals(host.SiloAddress));

        await cluster.StopSiloAsync(other);

        HealthSnapshot? after = null;
        await TestWait.UntilAsync(async () => (after = await grain.GetHealth()).Silos.Count == 1,
            $"silo {other.SiloAddress} gone from the health grain's membership view", () => string.Join(", ", after?.Silos ?? []));
        Assert.Equal(host.SiloAddress.ToString(), Assert.Single(after!.Silos).Address);
        Assert.True(after.MembershipVersion > before.MembershipVersion, $"version {before.MembershipVersion} -> {after.MembershipVersion}");
    }
}
