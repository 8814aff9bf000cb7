namespace Switchboard.Bench.LoadGen.Tests;

public sealed class CompareRunnerTests
{
    [Fact]
    public void Table_AllThreeServers_ClusterRowsAndClusterRatiosAgainstItsTarget()
    {
        var table = CompareRunner.Table(CompareSummaryTests.Report([ServerKind.Baseline, ServerKind.Embedded, ServerKind.Cluster]));

        Assert.Contains("| Switchboard cluster (gateway + silo) | 200 |", table, StringComparison.Ordinal);
        Assert.Contains("| measure | embedded / baseline | target | met | cluster / baseline | target | met |", table, StringComparison.Ordinal);
        Assert.Contains("| max calls (p99 < 50 ms, no loss) | 0.60× | ≥ 0.70× | NO | 0.40× | ≥ 0.50× | NO |", table, StringComparison.Ordinal);
        Assert.Contains("| RSS per idle call | 1.50× | ≤ 1.5× | yes | 2.50× | ≤ 2.0× | NO |", table, StringComparison.Ordinal);
        Assert.Contains("gateway 78.1 → 87.9, silo 68.4 → 73.2", table, StringComparison.Ordinal);

        // Gateway 0.6 s over 1,000 messages = 600 µs each; PostgreSQL 0.1 s = 100 µs.
        Assert.Contains("| 100 | 600.0 | 88 | 400.0 | 78 | 100.0 |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_BaselineAndEmbeddedOnly_NoClusterColumnsOrRows()
    {
        var table = CompareRunner.Table(CompareSummaryTests.Report([ServerKind.Baseline, ServerKind.Embedded]));

        Assert.Contains("| measure | embedded / baseline | target | met |", table, StringComparison.Ordinal);
        Assert.DoesNotContain("cluster / baseline", table, StringComparison.Ordinal);
        Assert.DoesNotContain("Switchboard cluster", table, StringComparison.Ordinal);
        Assert.DoesNotContain("Cluster mode per process", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_OnlyTheModesThatRan()
    {
        var report = CompareSummaryTests.Report([ServerKind.Baseline, ServerKind.Cluster]);

        var mode = Assert.Single(report.Comparisons);
        Assert.Equal(ServerKind.Cluster, mode.Server);
    }
}
