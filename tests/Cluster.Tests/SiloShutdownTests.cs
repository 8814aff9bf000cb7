using System.Diagnostics;
using Switchboard.Cluster.Tests.Harness;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Cluster.Tests;

/// <summary>A silo is stopped gracefully (SIGTERM) under 20 live calls: its row leaves Active, it exits 0, its calls'
/// grains continue on the other silo from their checkpoints, and no call loses or reorders a byte or loses its socket.</summary>
public sealed class SiloShutdownTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Cluster_SiloSigterm_NoCallDroppedNoAudioLost()
    {
        const int Calls = 20;
        var postgres = await PostgresServer.SharedAsync();
        await using var cluster = await ProcessCluster.CreateAsync(output, postgres, "siloterm");
        var silos = await cluster.StartSilosAsync("silo1", "silo2");
        var gateway = await cluster.StartGatewayAsync("gateway1");

        var run = CallLoad.Start(gateway, Calls, TimeSpan.FromSeconds(12));
        await CallLoad.WaitAllEchoingAsync(run, "calls start");
        var hosts = await CallLoad.WaitPlacedAsync(cluster, run, "calls placed");
        var victim = silos.MaxBy(s => hosts.Count(h => h.Value == s))!;
        var other = silos.Single(s => s != victim);
        var held = hosts.Where(h => h.Value == victim).Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
        Assert.True(held.Count > 0, $"[placement] no call's grain on either silo: {Placement.Describe(hosts!)}");

        long stoppedAt = Stopwatch.GetTimestamp();
        await victim.SigtermAsync();
        cluster.Log($"SIGTERM {victim}, holding {held.Count} of {Calls} calls");
        var exitCode = await victim.WaitForExitAsync(ExitBound);
        var exitedAfter = Stopwatch.GetElapsedTime(stoppedAt);
        cluster.Log($"{victim} exit code {exitCode?.ToString() ?? "none (still running)"} after {exitedAfter.TotalMilliseconds:F0} ms");
        var finalRow = await Poll.TryUntilAsync(
            ct => cluster.ReadSiloRowAsync(victim, ct),
            r => r?.Status is MemberStatus.Dead or MemberStatus.ShuttingDown,
            TimeSpan.FromSeconds(5));

        var summary = await TestWait.CompletesAsync(run.Completion, "the simulated calls", TimeSpan.FromSeconds(60));
        var restores = hosts.Keys.ToDictionary(k => k, k => Placement.RestoresOf(silos, k), StringComparer.Ordinal);
        int handedOff = held.Count(k => restores[k].Count == 1 && restores[k][0].Silo == other);
        int otherRestarted = hosts.Keys.Count(k => !held.Contains(k) && restores[k].Count > 0);
        var worst = summary.CallResults.MaxBy(c => c.LongestEchoGap)!;
        cluster.Log(summary.ToText());
        cluster.Log(CallLoad.Describe(summary.CallResults, stoppedAt));
        cluster.Log($"FIGURES silo SIGTERM: exit {exitCode?.ToString() ?? "none"} after {exitedAfter.TotalMilliseconds:F0} ms; row {finalRow.Value?.ToString() ?? "none"}; "
            + $"held {held.Count}/{Calls}, restored once on {other.Name} {handedOff}/{held.Count}; other silo's calls restarted {otherRestarted}; "
            + $"server closes {summary.ServerCloses}; lost {summary.Lost}; mismatched {summary.Mismatched}; "
            + $"longest gap {summary.LongestEchoGapMs:F0} ms ({worst.StreamSid}{(held.Contains(worst.StreamSid) ? ", handed off" : string.Empty)})");

        cluster.AssertNoUnexpectedExit();
        Assert.True(exitCode == 0, $"[graceful stop] {victim}: expected exit code 0 within {ExitBound.TotalSeconds} s of SIGTERM; actual: {exitCode?.ToString() ?? "still running"}");
        Assert.True(finalRow.Satisfied, $"[graceful stop] {victim}: expected its row ShuttingDown or Dead; actual: {finalRow.Value?.ToString() ?? finalRow.Error?.Message ?? "no row"}");
        Assert.True(summary.ServerCloses == 0, $"[hand-off] expected no Twilio socket closed by the server; actual {summary.ServerCloses}: {string.Join(" | ", summary.Errors)}");
        Assert.True(summary.Lost == 0 && summary.Mismatched == 0, $"[hand-off] expected no echo byte lost or out of order; actual lost {summary.Lost}, mismatched {summary.Mismatched}");
        Assert.True(summary.ExitCode == 0, $"[hand-off] expected every call to complete normally; actual:{Environment.NewLine}{summary.ToText()}");
        Assert.All(held, k => Assert.True(restores[k].Count == 1 && restores[k][0].Silo == other,
            $"[single activation] call {k} held by {victim.Name}: expected its grain restored exactly once, on {other.Name}; actual: "
            + (restores[k].Count == 0 ? "never" : string.Join(", ", restores[k].Select(r => $"{r.Silo.Name}: {r.Event.Message}")))));
        Assert.True(otherRestarted == 0, $"[hand-off] expected no call of {other.Name}, which kept running, restarted; actual {otherRestarted}");
    }
}
