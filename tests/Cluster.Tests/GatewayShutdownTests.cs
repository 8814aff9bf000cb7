using System.Diagnostics;
using System.Net;
using Switchboard.Cluster.Tests.Harness;
using Switchboard.TestInfrastructure;
using Switchboard.TwilioSim;
using Xunit.Abstractions;

namespace Switchboard.Cluster.Tests;

/// <summary>
/// A gateway is stopped gracefully (SIGTERM) while it holds 20 calls: it stops being ready (so a load balancer sends new
/// calls elsewhere), refuses new streams, lets the calls it holds finish normally, then exits 0. The other gateway keeps
/// taking calls.
/// </summary>
public sealed class GatewayShutdownTests(ITestOutputHelper output)
{
    private static readonly TimeSpan NotReadyBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Cluster_GatewaySigterm_HeldCallsFinish()
    {
        const int Calls = 20;
        var postgres = await PostgresServer.SharedAsync();
        await using var cluster = await ProcessCluster.CreateAsync(output, postgres, "gwterm");
        await cluster.StartSiloAsync("silo1");
        var gatewayA = await cluster.StartGatewayAsync("gatewayA");
        var gatewayB = await cluster.StartGatewayAsync("gatewayB");

        // The calls end about 6 s after the SIGTERM: long enough to observe the drain, short enough for a modest bound.
        var run = CallLoad.Start(gatewayA, Calls, TimeSpan.FromSeconds(8));
        await CallLoad.WaitAllEchoingAsync(run, "calls start");

        long stoppedAt = Stopwatch.GetTimestamp();
        await gatewayA.SigtermAsync();
        cluster.Log($"SIGTERM {gatewayA} holding {Calls} calls");

        var notReady = await Poll.TryUntilAsync(
            ct => cluster.ReadHealthAsync(gatewayA, ct),
            h => h.StatusCode == HttpStatusCode.ServiceUnavailable || h.Status == "draining" || h.Draining,
            NotReadyBound);
        cluster.Log($"{gatewayA} /health {notReady.Elapsed.TotalMilliseconds:F0} ms after SIGTERM: {notReady.Value}");
        bool drainingWhileHolding = notReady.Satisfied && run.Snapshot().Streaming == Calls;

        var refused = await Simulator.RunAsync(
            new SimulatorOptions { Url = gatewayA.MediaStreamUrl, Calls = 1, Duration = TimeSpan.FromSeconds(1), Drain = TimeSpan.FromSeconds(1) },
            CancellationToken.None);
        bool newStreamRefused = refused.ExitCode != 0 && (refused.Connected == 0 || refused.ServerCloses == 1);
        cluster.Log($"new stream on draining {gatewayA}: {refused.ToText()}");

        var elsewhere = await Simulator.RunAsync(
            new SimulatorOptions { Url = gatewayB.MediaStreamUrl, Calls = 1, Duration = TimeSpan.FromSeconds(1), Drain = TimeSpan.FromSeconds(2) },
            CancellationToken.None);
        cluster.Log($"new stream on {gatewayB} meanwhile: exit {elsewhere.ExitCode}");

        var summary = await TestWait.CompletesAsync(run.Completion, "the held calls", TimeSpan.FromSeconds(60));
        var exitCode = await gatewayA.WaitForExitAsync(TimeSpan.FromSeconds(15));
        var exitedAfter = Stopwatch.GetElapsedTime(stoppedAt);
        cluster.Log(summary.ToText());
        cluster.Log(CallLoad.Describe(summary.CallResults));
        cluster.Log($"FIGURES gateway SIGTERM: not ready after {(notReady.Satisfied ? $"{notReady.Elapsed.TotalMilliseconds:F0} ms" : "never")} ({notReady.Value?.Brief}); "
            + $"new stream refused {newStreamRefused}; held calls exit {summary.ExitCode} (lost {summary.Lost}, closes {summary.ServerCloses}, completed "
            + $"{summary.CallResults.Count(c => c.State == CallState.Completed)}/{Calls}); gateway exit {exitCode?.ToString() ?? "none"} after {exitedAfter.TotalMilliseconds:F0} ms");

        cluster.AssertNoUnexpectedExit();
        Assert.True(drainingWhileHolding,
            $"[drain] {gatewayA}: expected /health 503 or status draining within {NotReadyBound.TotalSeconds} s of SIGTERM while it still holds the calls; actual: {notReady.Value}");
        Assert.True(newStreamRefused, $"[drain] {gatewayA}: expected a new stream to be refused while draining; actual:{Environment.NewLine}{refused.ToText()}");
        Assert.True(elsewhere.ExitCode == 0, $"[drain] {gatewayB}: expected to take a new call while {gatewayA.Name} drains; actual:{Environment.NewLine}{elsewhere.ToText()}");
        Assert.True(summary.ServerCloses == 0 && summary.Lost == 0 && summary.ExitCode == 0,
            $"[drain] the calls held by {gatewayA.Name}: expected all to complete normally, nothing lost, no server close; actual:{Environment.NewLine}{summary.ToText()}");
        Assert.True(exitCode == 0, $"[drain] {gatewayA}: expected exit code 0 after its calls finished; actual: {exitCode?.ToString() ?? "still running 15 s after the calls ended"}");
    }
}
