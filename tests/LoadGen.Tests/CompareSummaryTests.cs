namespace Switchboard.Bench.LoadGen.Tests;

public sealed class CompareSummaryTests
{
    [Fact]
    public void From_AllThreeServers_FillsEmbeddedAndClusterFields()
    {
        var report = Report([ServerKind.Baseline, ServerKind.Embedded, ServerKind.Cluster]);

        var summary = CompareSummary.From(report);

        Assert.Equal(500, summary.BaselineMaxCalls);
        Assert.Equal(300, summary.EmbeddedMaxCalls);
        Assert.Equal(200, summary.ClusterMaxCalls);
        Assert.Equal(0.6, summary.EmbeddedMaxCallsRatio!.Value, 6);
        Assert.Equal(0.4, summary.ClusterMaxCallsRatio!.Value, 6);
        Assert.Equal(40_000, summary.BaselineIdleBytesPerCall);
        Assert.Equal(1.5, summary.EmbeddedIdleMemoryRatio!.Value, 6);
        Assert.Equal(2.5, summary.ClusterIdleMemoryRatio!.Value, 6);
        Assert.Equal(0, summary.ClusterLossOrReorderBelowMax);
    }

    [Fact]
    public void From_WithoutCluster_ClusterFieldsNull()
    {
        var summary = CompareSummary.From(Report([ServerKind.Baseline, ServerKind.Embedded]));

        Assert.Equal(300, summary.EmbeddedMaxCalls);
        Assert.Null(summary.ClusterMaxCalls);
        Assert.Null(summary.ClusterMaxCallsRatio);
        Assert.Null(summary.ClusterIdleBytesPerCall);
        Assert.Null(summary.ClusterLossOrReorderBelowMax);
    }

    internal static CompareReport Report(ServerKind[] servers)
    {
        var max = new Dictionary<ServerKind, int> { [ServerKind.Baseline] = 500, [ServerKind.Embedded] = 300, [ServerKind.Cluster] = 200 };
        var idleBytes = new Dictionary<ServerKind, double> { [ServerKind.Baseline] = 40_000, [ServerKind.Embedded] = 60_000, [ServerKind.Cluster] = 100_000 };
        var sweep = servers.Select(k => Figures.Trial(k, 100) with
        {
            Processes = k == ServerKind.Cluster ? [new ProcessUsage("gateway", 0.6, 90_000), new ProcessUsage("silo", 0.4, 80_000)] : [],
            StoreCpuSeconds = k == ServerKind.Cluster ? 0.1 : null,
        }).ToList();
        var search = servers.Select(k => Figures.Search(k, max[k])).ToList();
        var idle = servers.Select(k => Figures.Idle(k, idleBytes[k]) with
        {
            Processes = k == ServerKind.Cluster ? [new ProcessMemory("gateway", 80_000, 90_000), new ProcessMemory("silo", 70_000, 75_000)] : [],
        }).ToList();
        return new CompareReport
        {
            Started = DateTimeOffset.UnixEpoch,
            Machine = "test",
            Options = new CompareOptions { Servers = servers },
            Sweep = sweep,
            Search = search,
            Idle = idle,
            Comparisons = CompareRunner.Compare(sweep, search, idle),
        };
    }
}
