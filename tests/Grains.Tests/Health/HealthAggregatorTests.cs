using Switchboard.Grains.Health;

namespace Switchboard.Grains.Tests.Health;

public class HealthAggregatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GetSnapshot_NothingReported_UnhealthyZeroUptime()
    {
        var snapshot = new HealthAggregator(new HealthOptions()).GetSnapshot(T0);

        Assert.Equal(HealthStatus.Unhealthy, snapshot.Status);
        Assert.Equal(0, snapshot.UptimeSeconds);
        Assert.Equal(0, snapshot.Connections);
        Assert.Empty(snapshot.Nodes);
    }

    [Fact]
    public void GetSnapshot_SiloSilentPastLimit_DegradedThenUnhealthyWhenLastSilo()
    {
        var aggregator = new HealthAggregator(new HealthOptions());
        aggregator.Report(Report("s1", NodeRole.Silo), T0);
        aggregator.Report(Report("s2", NodeRole.Silo), T0);
        aggregator.Report(Report("gw", NodeRole.Gateway), T0);

        // s2 keeps reporting every second; s1 goes quiet.
        for (var s = 1; s <= 5; s++)
        {
            aggregator.Report(Report("s2", NodeRole.Silo), T0.AddSeconds(s));
            aggregator.Report(Report("gw", NodeRole.Gateway), T0.AddSeconds(s));
        }

        var degraded = aggregator.GetSnapshot(T0.AddSeconds(5));
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal(["silo s1 has not reported within 5 s"], degraded.Reasons);
        Assert.True(degraded.Nodes.Single(n => n.NodeId == "s1").Silent);

        var unhealthy = aggregator.GetSnapshot(T0.AddSeconds(10.5));
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
    }

    [Fact]
    public void GetSnapshot_SilentPastExpiry_ReporterDropped()
    {
        var aggregator = new HealthAggregator(new HealthOptions());
        aggregator.Report(Report("old", NodeRole.Silo), T0);

        for (var s = 0; s <= 60; s += 1)
        {
            aggregator.Report(Report("s2", NodeRole.Silo), T0.AddSeconds(s));
            aggregator.Report(Report("gw", NodeRole.Gateway), T0.AddSeconds(s));
        }

        var snapshot = aggregator.GetSnapshot(T0.AddSeconds(60));

        Assert.DoesNotContain(snapshot.Nodes, n => n.NodeId == "old");
        Assert.Equal(HealthStatus.Healthy, snapshot.Status);
    }

    [Fact]
    public void Report_HighLatencyTail_DegradedByP99()
    {
        var aggregator = new HealthAggregator(new HealthOptions());
        var samples = Enumerable.Repeat(20.0, 97).Concat([500, 600, 700]).ToArray();
        aggregator.Report(Report("s1", NodeRole.Silo), T0);

        var snapshot = aggregator.Report(Report("gw", NodeRole.Gateway, latency: samples), T0);

        Assert.Equal(HealthStatus.Degraded, snapshot.Status);
        Assert.Equal(600, snapshot.LatencyP99Ms);
        Assert.Equal(20, snapshot.LatencyP50Ms);
        Assert.Single(snapshot.Reasons);
    }

    [Fact]
    public void GetSnapshot_SamplesOlderThanWindow_Ignored()
    {
        var aggregator = new HealthAggregator(new HealthOptions());
        aggregator.Report(Report("gw", NodeRole.Gateway, latency: [900, 900]), T0);

        for (var s = 1; s <= 61; s++)
        {
            aggregator.Report(Report("gw", NodeRole.Gateway, latency: [10]), T0.AddSeconds(s));
            aggregator.Report(Report("s1", NodeRole.Silo), T0.AddSeconds(s));
        }

        var snapshot = aggregator.GetSnapshot(T0.AddSeconds(61));

        Assert.Equal(10, snapshot.LatencyP99Ms);
        Assert.Equal(HealthStatus.Healthy, snapshot.Status);
    }

    [Fact]
    public void Report_MoreSamplesThanBound_KeepsNewest()
    {
        var aggregator = new HealthAggregator(new HealthOptions { MaxLatencySamples = 10 });
        aggregator.Report(Report("gw", NodeRole.Gateway, latency: Enumerable.Repeat(999.0, 50).ToArray()), T0);

        var snapshot = aggregator.Report(Report("gw", NodeRole.Gateway, latency: Enumerable.Repeat(5.0, 10).ToArray()), T0);

        Assert.Equal(5, snapshot.LatencyP99Ms);
    }

    [Fact]
    public void Report_InvalidSamples_IgnoredAndCounted()
    {
        var aggregator = new HealthAggregator(new HealthOptions());

        var snapshot = aggregator.Report(Report("gw", NodeRole.Gateway, latency: [double.NaN, -1, double.PositiveInfinity, 42]), T0);

        Assert.Equal(3, aggregator.InvalidSamples);
        Assert.Equal(42, snapshot.LatencyP99Ms);
    }

    [Fact]
    public void Report_ManyPeriods_HistoryBoundedOnePointPerInterval()
    {
        var aggregator = new HealthAggregator(new HealthOptions { HistoryCapacity = 100 });

        for (var i = 0; i < 250; i++)
        {
            // Two reports per second: only one history point per second.
            aggregator.Report(Report("gw", NodeRole.Gateway), T0.AddMilliseconds(i * 500));
        }

        var history = aggregator.GetSnapshot(T0.AddSeconds(125)).History;
        Assert.Equal(100, history.Count);
        Assert.Equal(T0.AddSeconds(124), history[^1].At);
        Assert.Equal(T0.AddSeconds(25), history[0].At);
        Assert.All(history.Zip(history.Skip(1)), p => Assert.Equal(TimeSpan.FromSeconds(1), p.Second.At - p.First.At));
    }

    [Fact]
    public void GetSnapshot_ConnectionsAndUptime_FromLiveReportersOnly()
    {
        var aggregator = new HealthAggregator(new HealthOptions());
        aggregator.Report(Report("gw-old", NodeRole.Gateway, connections: 7, startedAt: T0.AddHours(-5)), T0);
        var later = T0.AddSeconds(10);
        aggregator.Report(Report("gw1", NodeRole.Gateway, connections: 3, startedAt: T0.AddMinutes(-2)), later);
        aggregator.Report(Report("gw2", NodeRole.Gateway, connections: 4, startedAt: T0.AddMinutes(-1)), later);
        aggregator.Report(Report("s1", NodeRole.Silo, connections: 100, startedAt: T0.AddMinutes(-3)), later);

        var snapshot = aggregator.GetSnapshot(later);

        Assert.Equal(7, snapshot.Connections);
        Assert.Equal(190, snapshot.UptimeSeconds);
        Assert.Equal(HealthStatus.Degraded, snapshot.Status);
        Assert.Equal(["gw-old", "gw1", "gw2", "s1"], snapshot.Nodes.Select(n => n.NodeId));
    }

    [Fact]
    public void Report_StoreErrorThenCleanReport_DegradedThenHealthy()
    {
        var aggregator = new HealthAggregator(new HealthOptions());
        aggregator.Report(Report("gw", NodeRole.Gateway), T0);

        var down = aggregator.Report(Report("s1", NodeRole.Silo) with { StoreError = "timed out after 1 s" }, T0);
        var back = aggregator.Report(Report("s1", NodeRole.Silo), T0.AddSeconds(1));

        Assert.Equal(HealthStatus.Degraded, down.Status);
        Assert.Equal(["silo s1 cannot reach the membership store: timed out after 1 s"], down.Reasons);
        Assert.Equal("timed out after 1 s", down.Nodes.Single(n => n.NodeId == "s1").StoreError);
        Assert.Equal(HealthStatus.Healthy, back.Status);
        Assert.Null(back.Nodes.Single(n => n.NodeId == "s1").StoreError);
    }

    private static NodeReport Report(string id, NodeRole role, int connections = 1, DateTimeOffset? startedAt = null, double[]? latency = null)
        => new(id, role, startedAt ?? T0.AddMinutes(-1), T0, connections, latency ?? []);
}
