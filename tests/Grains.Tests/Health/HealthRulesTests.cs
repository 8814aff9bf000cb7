using Switchboard.Grains.Health;

namespace Switchboard.Grains.Tests.Health;

public class HealthRulesTests
{
    private static readonly HealthOptions Options = new();
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Evaluate_NoReporters_UnhealthyWithBothReasons()
    {
        var (status, reasons) = HealthRules.Evaluate([], 0, Options);

        Assert.Equal(HealthStatus.Unhealthy, status);
        Assert.Equal(["no gateway has reported within 5 s", "no silo has reported within 5 s"], reasons);
    }

    [Fact]
    public void Evaluate_OnlySilentSilo_UnhealthyNoSilo()
    {
        var (status, reasons) = HealthRules.Evaluate([Node("gw", NodeRole.Gateway), Node("s1", NodeRole.Silo, silent: true)], 0, Options);

        Assert.Equal(HealthStatus.Unhealthy, status);
        Assert.Equal(["no silo has reported within 5 s"], reasons);
    }

    [Fact]
    public void Evaluate_NoGateway_Unhealthy()
    {
        var (status, reasons) = HealthRules.Evaluate([Node("s1", NodeRole.Silo)], 0, Options);

        Assert.Equal(HealthStatus.Unhealthy, status);
        Assert.Equal(["no gateway has reported within 5 s"], reasons);
    }

    [Fact]
    public void Evaluate_P99OverThreshold_Degraded()
    {
        var (status, reasons) = HealthRules.Evaluate([Node("gw", NodeRole.Gateway), Node("s1", NodeRole.Silo)], 200.5, Options);

        Assert.Equal(HealthStatus.Degraded, status);
        Assert.Equal(["p99 latency 200.5 ms is over 200 ms"], reasons);
    }

    [Fact]
    public void Evaluate_OneSiloSilentAnotherLive_DegradedNamingTheSilo()
    {
        var (status, reasons) = HealthRules.Evaluate([Node("gw", NodeRole.Gateway), Node("s1", NodeRole.Silo), Node("s2", NodeRole.Silo, silent: true)], 10, Options);

        Assert.Equal(HealthStatus.Degraded, status);
        Assert.Equal(["silo s2 has not reported within 5 s"], reasons);
    }

    [Fact]
    public void Evaluate_LiveSiloCannotReachStore_DegradedNamingSiloAndStore()
    {
        var failing = Node("s2", NodeRole.Silo) with { StoreError = "NpgsqlException: connection refused" };

        var (status, reasons) = HealthRules.Evaluate([Node("gw", NodeRole.Gateway), Node("s1", NodeRole.Silo), failing], 10, Options);

        Assert.Equal(HealthStatus.Degraded, status);
        Assert.Equal(["silo s2 cannot reach the membership store: NpgsqlException: connection refused"], reasons);
    }

    [Fact]
    public void Evaluate_SilentSiloWithStoreError_OnlyItsSilenceNamed()
    {
        // A silent silo's last report is stale: its store error says nothing about the store now.
        var silent = Node("s2", NodeRole.Silo, silent: true) with { StoreError = "timed out" };

        var (status, reasons) = HealthRules.Evaluate([Node("gw", NodeRole.Gateway), Node("s1", NodeRole.Silo), silent], 10, Options);

        Assert.Equal(HealthStatus.Degraded, status);
        Assert.Equal(["silo s2 has not reported within 5 s"], reasons);
    }

    [Fact]
    public void Evaluate_P99AtThreshold_Healthy()
    {
        var (status, reasons) = HealthRules.Evaluate([Node("gw", NodeRole.Gateway), Node("s1", NodeRole.Silo)], 200, Options);

        Assert.Equal(HealthStatus.Healthy, status);
        Assert.Empty(reasons);
    }

    [Theory]
    [InlineData(100, 99, 99)]
    [InlineData(100, 50, 50)]
    [InlineData(1000, 99, 990)]
    [InlineData(1, 99, 1)]
    [InlineData(3, 50, 2)]
    public void Percentile_NearestRank_OfOneToN(int n, double percentile, double expected)
    {
        var sorted = Enumerable.Range(1, n).Select(i => (double)i).ToList();

        Assert.Equal(expected, HealthRules.Percentile(sorted, percentile));
    }

    [Fact]
    public void Percentile_Empty_IsZero()
    {
        Assert.Equal(0, HealthRules.Percentile([], 99));
    }

    private static NodeHealth Node(string id, NodeRole role, bool silent = false) => new(id, role, 0, At, silent);
}
