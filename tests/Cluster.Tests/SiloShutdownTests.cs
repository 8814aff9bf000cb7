using System.Diagnostics;
using Switchboard.Cluster.Tests.Harness;
using Switchboard.Runtime.Membership;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Cluster.Tests;

/// <summary>A silo is stopped gracefully (SIGTERM) under 20 live calls: it hands its grains off and exits 0, and no call
/// loses a byte or its socket.</summary>
public sealed class SiloShutdownTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Cluster_SiloSigterm_NoCallDroppedNoAudioLost()
    {
        const int Calls = 20;
        var postgres = await PostgresServer.SharedAsync();
        await using var cluster = await ProcessCluster.CreateAsync(output, postgres, "siloterm");
        var silo1 = await cluster.StartSiloAsync("silo1");
        var silo2 = await cluster.StartSiloAsync("silo2");
        var gateway = await cluster.StartGatewayAsync("gateway1");

        var run = CallLoad.Start(gateway, Calls, TimeSpan.FromSeconds(14));
        await CallLoad.WaitAllEchoingAsync(run, "calls start");
        var placement = await CallLoad.WaitPlacedAsync(cluster, run, "calls placed");
        var members = await cluster.ReadMembershipAsync();
        var victim = new[] { silo1, silo2 }.MaxBy(s => placement.Count(r => r.Silo == Placement.AddressOf(members, s)))!;
        var victimAddress = Placement.AddressOf(members, victim);
        int held = placement.Count(r => r.Silo == victimAddress);
        Assert.True(held > 0, $"[placement] no call's grain is on either silo: {string.Join(", ", placement)}; members {string.Join(", ", members)}");

        long stoppedAt = Stopwatch.GetTimestamp();
        await victim.SigtermAsync();
        cluster.Log($"SIGTERM {victim} ({victimAddress}), holding {held} of {Calls} calls");
        var exitCode = await victim.WaitForExitAsync(ExitBound);
        var exitedAfter = Stopwatch.GetElapsedTime(stoppedAt);
        cluster.Log($"{victim} exit code {exitCode?.ToString() ?? "none (still running)"} after {exitedAfter.TotalMilliseconds:F0} ms");
        var finalRow = await Poll.TryUntilAsync(
            ct => cluster.ReadSiloRowAsync(victim, ct),
            r => r?.Status is SiloStatus.Dead or SiloStatus.ShuttingDown,
            TimeSpan.FromSeconds(5));

        // Rows go away when calls end, so the directory is only checked while every call still streams.
        var keys = run.Snapshot().CallResults.Select(c => c.StreamSid).ToList();
        var directory = await Poll.TryUntilAsync(
            ct => cluster.ReadDirectoryAsync(ct),
            rows => Placement.DirectoryProblems(keys, rows, victimAddress).Count == 0,
            TimeSpan.FromSeconds(5));
        bool stillStreaming = run.Snapshot().Streaming == Calls;
        var directoryProblems = stillStreaming ? Placement.DirectoryProblems(keys, directory.Value ?? [], victimAddress) : [];
        cluster.Log(stillStreaming ? $"directory after the stop: {directoryProblems.Count} problems" : "directory not checked: the calls ended before the silo exited");

        var summary = await TestWait.CompletesAsync(run.Completion, "the simulated calls", TimeSpan.FromSeconds(60));
        cluster.Log(summary.ToText());
        cluster.Log(CallLoad.Describe(summary.CallResults, stoppedAt));
        cluster.Log($"FIGURES silo SIGTERM: exit {exitCode?.ToString() ?? "none"} after {exitedAfter.TotalMilliseconds:F0} ms; row {finalRow.Value?.ToString() ?? "none"}; "
            + $"held {held}/{Calls}; server closes {summary.ServerCloses}; lost {summary.Lost}; mismatched {summary.Mismatched}; "
            + $"longest gap {summary.LongestEchoGapMs:F0} ms; directory problems {directoryProblems.Count}");

        Assert.True(exitCode == 0, $"[graceful stop] {victim}: expected exit code 0 within {ExitBound.TotalSeconds} s of SIGTERM; actual: {exitCode?.ToString() ?? "still running"}");
        Assert.True(finalRow.Satisfied, $"[graceful stop] {victim}: expected its row ShuttingDown or Dead; actual: {finalRow.Value?.ToString() ?? finalRow.Error?.Message ?? "no row"}");
        Assert.True(summary.ServerCloses == 0, $"[hand-off] expected no Twilio socket closed by the server; actual {summary.ServerCloses}: {string.Join(" | ", summary.Errors)}");
        Assert.True(summary.Lost == 0 && summary.Mismatched == 0, $"[hand-off] expected no echo byte lost or out of order; actual lost {summary.Lost}, mismatched {summary.Mismatched}");
        Assert.True(summary.ExitCode == 0, $"[hand-off] expected every call to complete normally; actual:{Environment.NewLine}{summary.ToText()}");
        Assert.True(directoryProblems.Count == 0, $"[single activation] expected exactly one directory row per call, none on {victimAddress}; actual: {string.Join("; ", directoryProblems)}");
    }
}
