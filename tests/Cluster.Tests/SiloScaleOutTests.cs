using Switchboard.Cluster.Tests.Harness;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Cluster.Tests;

/// <summary>A silo joins a running cluster: calls that start afterwards are placed on it too, and the running calls do
/// not notice.</summary>
public sealed class SiloScaleOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Cluster_SiloAdded_NewCallsPlacedOnIt()
    {
        const int Calls = 10;
        var postgres = await PostgresServer.SharedAsync();
        await using var cluster = await ProcessCluster.CreateAsync(output, postgres, "scaleout");
        var silo1 = await cluster.StartSiloAsync("silo1");
        var gateway = await cluster.StartGatewayAsync("gateway1");

        var first = CallLoad.Start(gateway, Calls, TimeSpan.FromSeconds(12));
        await CallLoad.WaitAllEchoingAsync(first, "first calls start");
        var firstPlacement = await CallLoad.WaitPlacedAsync(cluster, first, "first calls placed");

        long joinStarted = TimeProvider.System.GetTimestamp();
        var silo2 = await cluster.StartSiloAsync("silo2");
        var joinedAfter = TimeProvider.System.GetElapsedTime(joinStarted);

        // The new silo is in the table; let the health grain's silo see it Active in its membership view and the health
        // grain get its report, before placing new calls. Not asserted: only where the new calls land is the target.
        var seen = await Poll.TryUntilAsync(ct => cluster.ReadHealthAsync(gateway, ct), h => h.SiloNodes >= 2 && h.ActiveMembers >= 2, TimeSpan.FromSeconds(15));
        cluster.Log($"/health after silo2 joined ({seen.Elapsed.TotalMilliseconds:F0} ms): {seen.Value}");

        var second = CallLoad.Start(gateway, Calls, TimeSpan.FromSeconds(5));
        await CallLoad.WaitAllEchoingAsync(second, "second calls start");
        var secondPlacement = await CallLoad.WaitPlacedAsync(cluster, second, "second calls placed");
        int onNewSilo = secondPlacement.Count(h => h.Value == silo2);
        cluster.Log($"first calls: {Placement.Describe(firstPlacement!)}; second calls: {Placement.Describe(secondPlacement!)}");

        var firstSummary = await TestWait.CompletesAsync(first.Completion, "the first calls", TimeSpan.FromSeconds(60));
        var secondSummary = await TestWait.CompletesAsync(second.Completion, "the second calls", TimeSpan.FromSeconds(60));
        var firstRestarted = firstPlacement.Keys.Where(k => Placement.RestoresOf(cluster.Silos, k).Count > 0).ToList();
        cluster.Log(firstSummary.ToText());
        cluster.Log(CallLoad.Describe(firstSummary.CallResults, joinStarted));
        cluster.Log(secondSummary.ToText());
        cluster.Log(CallLoad.Describe(secondSummary.CallResults));
        cluster.Log($"FIGURES silo added: Active after {joinedAfter.TotalMilliseconds:F0} ms; {onNewSilo}/{Calls} new calls on silo2; first run exit {firstSummary.ExitCode} "
            + $"(lost {firstSummary.Lost}, closes {firstSummary.ServerCloses}, longest gap {firstSummary.LongestEchoGapMs:F0} ms, restarted {firstRestarted.Count}); "
            + $"second run exit {secondSummary.ExitCode} (longest gap {secondSummary.LongestEchoGapMs:F0} ms)");

        cluster.AssertNoUnexpectedExit();
        Assert.True(onNewSilo > 0,
            $"[placement] expected some of the {Calls} calls started after silo2 joined on silo2 ({silo2}); actual: {Placement.Describe(secondPlacement!)}");
        Assert.True(firstRestarted.Count == 0, $"[scale-out] the calls running while silo2 joined: expected none restarted; actual: {string.Join(", ", firstRestarted)}");
        Assert.True(firstSummary.ExitCode == 0, $"[scale-out] the calls running while silo2 joined: expected all complete without loss; actual:{Environment.NewLine}{firstSummary.ToText()}");
        Assert.True(secondSummary.ExitCode == 0, $"[scale-out] the calls started after silo2 joined: expected all complete without loss; actual:{Environment.NewLine}{secondSummary.ToText()}");
        Assert.False(silo1.HasExited, $"[scale-out] {silo1} exited with {silo1.ExitCode}");
    }
}
