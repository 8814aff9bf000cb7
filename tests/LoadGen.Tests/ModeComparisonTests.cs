namespace Switchboard.Bench.LoadGen.Tests;

public sealed class ModeComparisonTests
{
    [Fact]
    public void Compute_ClusterAndBaseline_RatiosAgainstClusterTargets()
    {
        SearchResult[] search = [Figures.Search(ServerKind.Baseline, 500), Figures.Search(ServerKind.Cluster, 150)];
        IdleResult[] idle = [Figures.Idle(ServerKind.Baseline, 40_000), Figures.Idle(ServerKind.Cluster, 100_000)];

        var cluster = ModeComparison.Compute(ServerKind.Cluster, [], search, idle);

        Assert.NotNull(cluster);
        Assert.Equal(150, cluster.MaxCalls);
        Assert.Equal(500, cluster.BaselineMaxCalls);
        Assert.Equal(0.30, cluster.MaxCallsRatio!.Value, 6);
        Assert.Equal(ModeComparison.ClusterMaxCallsTarget, cluster.MaxCallsTarget);
        Assert.False(cluster.MaxCallsTargetMet);
        Assert.Equal(2.5, cluster.IdleMemoryRatio!.Value, 6);
        Assert.Equal(ModeComparison.ClusterIdleMemoryTarget, cluster.IdleMemoryTarget);
        Assert.False(cluster.IdleMemoryTargetMet);
    }

    [Fact]
    public void Compute_EmbeddedAtTarget_TargetMet()
    {
        SearchResult[] search = [Figures.Search(ServerKind.Baseline, 500), Figures.Search(ServerKind.Embedded, 350)];
        IdleResult[] idle = [Figures.Idle(ServerKind.Baseline, 40_000), Figures.Idle(ServerKind.Embedded, 60_000)];

        var embedded = ModeComparison.Compute(ServerKind.Embedded, [], search, idle);

        Assert.NotNull(embedded);
        Assert.Equal(ModeComparison.EmbeddedMaxCallsTarget, embedded.MaxCallsTarget);
        Assert.True(embedded.MaxCallsTargetMet);
        Assert.Equal(ModeComparison.EmbeddedIdleMemoryTarget, embedded.IdleMemoryTarget);
        Assert.True(embedded.IdleMemoryTargetMet);
    }

    [Fact]
    public void Compute_EmbeddedIdleMemoryOverItsTarget_NotMetWhereClusterWouldBe()
    {
        SearchResult[] search = [Figures.Search(ServerKind.Baseline, 500), Figures.Search(ServerKind.Embedded, 350)];
        IdleResult[] idle = [Figures.Idle(ServerKind.Baseline, 40_000), Figures.Idle(ServerKind.Embedded, 72_000)];

        var embedded = ModeComparison.Compute(ServerKind.Embedded, [], search, idle);

        Assert.NotNull(embedded);
        Assert.Equal(1.8, embedded.IdleMemoryRatio!.Value, 6);
        Assert.False(embedded.IdleMemoryTargetMet);
    }

    [Fact]
    public void Compute_ModeNotRun_Null()
    {
        SearchResult[] search = [Figures.Search(ServerKind.Baseline, 500), Figures.Search(ServerKind.Embedded, 300)];

        Assert.Null(ModeComparison.Compute(ServerKind.Cluster, [], search, []));
    }

    [Fact]
    public void Compute_BaselineNotRun_RatiosNull()
    {
        SearchResult[] search = [Figures.Search(ServerKind.Cluster, 150)];
        IdleResult[] idle = [Figures.Idle(ServerKind.Cluster, 100_000)];

        var cluster = ModeComparison.Compute(ServerKind.Cluster, [], search, idle);

        Assert.NotNull(cluster);
        Assert.Null(cluster.BaselineMaxCalls);
        Assert.Null(cluster.MaxCallsRatio);
        Assert.Null(cluster.MaxCallsTargetMet);
        Assert.Null(cluster.IdleMemoryRatio);
    }

    [Fact]
    public void Compute_IdleMeasurementFailed_IdleRatioNull()
    {
        IdleResult[] idle = [Figures.Idle(ServerKind.Baseline, 40_000), Figures.Idle(ServerKind.Cluster, 0, failure: "the silo exited")];

        var cluster = ModeComparison.Compute(ServerKind.Cluster, [], [], idle);

        Assert.NotNull(cluster);
        Assert.Null(cluster.IdleBytesPerCall);
        Assert.Null(cluster.IdleMemoryRatio);
    }

    [Fact]
    public void Compute_LossAtAndAboveMax_CountsOnlyTheModesTrialsAtOrBelowMax()
    {
        SearchResult[] search = [Figures.Search(ServerKind.Baseline, 500), Figures.Search(ServerKind.Cluster, 200)];
        TrialResult[] trials =
        [
            Figures.Trial(ServerKind.Cluster, 100, lost: 160),
            Figures.Trial(ServerKind.Cluster, 200, lost: 160),
            Figures.Trial(ServerKind.Cluster, 400, passed: false, lost: 160),
            Figures.Trial(ServerKind.Embedded, 100, lost: 160),
            Figures.Trial(ServerKind.Baseline, 100, lost: 160),
        ];

        var cluster = ModeComparison.Compute(ServerKind.Cluster, trials, search, []);

        Assert.NotNull(cluster);
        Assert.Equal(2, cluster.LossOrReorderBelowMax);
    }
}
