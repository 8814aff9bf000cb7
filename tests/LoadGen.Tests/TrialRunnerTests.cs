namespace Switchboard.Bench.LoadGen.Tests;

public sealed class TrialRunnerTests
{
    [Fact]
    public void Usage_TwoProcesses_CpuDuringTheTrialAndPeakOfEach()
    {
        var before = new ServerStats([("gateway", new ProcessStats(1.5, 80_000, 90_000)), ("silo", new ProcessStats(2.0, 70_000, 75_000))]);
        var after = new ServerStats([("gateway", new ProcessStats(4.0, 85_000, 120_000)), ("silo", new ProcessStats(3.25, 72_000, 95_000))]);

        var usage = TrialRunner.Usage(before, after);

        Assert.Equal([new ProcessUsage("gateway", 2.5, 120_000), new ProcessUsage("silo", 1.25, 95_000)], usage);
        Assert.Equal(7.25, after.CpuSeconds, 6);
        Assert.Equal(215_000, after.PeakRssKb);
        Assert.Equal(157_000, after.RssKb);
    }

    [Fact]
    public void Usage_ServerExited_Empty()
    {
        var before = new ServerStats([("server", new ProcessStats(1, 1, 1))]);

        Assert.Empty(TrialRunner.Usage(before, null));
    }
}
