using System.Diagnostics;
using Switchboard.Cluster.Tests.Harness;
using Switchboard.Runtime.Membership;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Cluster.Tests;

/// <summary>
/// A silo crashes (SIGKILL) under 20 live calls: it must be declared Dead within 5 s, every call whose grain it held must
/// hear its echo again within 3 s of the kill, no Twilio socket may be closed by the server, audio stays in order, each
/// call keeps exactly one activation, and /health keeps counting every call.
/// </summary>
public sealed class SiloFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DeadTarget = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ResumeTarget = TimeSpan.FromSeconds(3);
    private const long MaxLossOnKillBytes = 4000;

    [Fact]
    public async Task Cluster_SiloKilled_CallsResumeWithin3sAndNoSocketCloses()
    {
        const int Calls = 20;
        var postgres = await PostgresServer.SharedAsync();
        await using var cluster = await ProcessCluster.CreateAsync(output, postgres, "silokill");
        var silo1 = await cluster.StartSiloAsync("silo1");
        var silo2 = await cluster.StartSiloAsync("silo2");
        var gateway = await cluster.StartGatewayAsync("gateway1");

        var run = CallLoad.Start(gateway, Calls, TimeSpan.FromSeconds(16));
        await CallLoad.WaitAllEchoingAsync(run, "calls start");
        var placement = await CallLoad.WaitPlacedAsync(cluster, run, "calls placed");
        var members = await cluster.ReadMembershipAsync();
        var bySilo = placement.GroupBy(r => r.Silo).ToDictionary(g => g.Key, g => g.Select(r => r.GrainKey).ToHashSet(StringComparer.Ordinal));
        cluster.Log($"placement before the kill: {string.Join(", ", bySilo.Select(p => $"{p.Key}={p.Value.Count}"))}; members: {string.Join(", ", members)}");
        var victim = new[] { silo1, silo2 }.MaxBy(s => bySilo.GetValueOrDefault(Placement.AddressOf(members, s))?.Count ?? 0)!;
        var victimAddress = Placement.AddressOf(members, victim);
        var affected = bySilo.GetValueOrDefault(victimAddress) ?? [];
        Assert.True(affected.Count > 0, $"[placement] no call's grain is on either silo: directory {string.Join(", ", placement)}; members {string.Join(", ", members)}");

        long killedAt = TimeProvider.System.GetTimestamp();
        victim.Kill();
        cluster.Log($"SIGKILL {victim} ({victimAddress}), holding {affected.Count} of {Calls} calls");

        // Measure every figure first (generous bounds), then assert the targets, so a miss reports all the numbers.
        var deadAfter = TimeSpan.MaxValue;
        var dead = await Poll.TryUntilAsync(
            ct => cluster.ReadSiloRowAsync(victim, ct),
            r =>
            {
                // The first read that shows Dead bounds the detection time from above (reads are 50 ms apart).
                bool isDead = r?.Status == SiloStatus.Dead;
                deadAfter = isDead && deadAfter == TimeSpan.MaxValue ? Stopwatch.GetElapsedTime(killedAt) : deadAfter;
                return isDead;
            },
            TimeSpan.FromSeconds(30));
        cluster.Log($"victim row {Stopwatch.GetElapsedTime(killedAt).TotalMilliseconds:F0} ms after the kill: {dead.Value?.ToString() ?? dead.Error?.Message}");

        var resumed = await Poll.TryUntilAsync(
            _ => Task.FromResult(run.Snapshot()),
            s => s.CallResults.Where(c => affected.Contains(c.StreamSid)).All(c => c.EchoResumedAfter(killedAt) is not null),
            TimeSpan.FromSeconds(10));
        var resumeTimes = run.Snapshot().CallResults
            .Where(c => affected.Contains(c.StreamSid))
            .Select(c => (c.StreamSid, Resumed: c.EchoResumedAfter(killedAt)))
            .ToList();
        cluster.Log("echo resumed after the kill (affected calls), ms: "
            + string.Join(", ", resumeTimes.Select(r => r.Resumed is { } t ? $"{t.TotalMilliseconds:F0}" : "never")));

        var conserved = await Poll.TryUntilAsync(
            ct => cluster.ReadHealthAsync(gateway, ct),
            h => h.Connections == Calls && run.Snapshot().Streaming == Calls,
            TimeSpan.FromSeconds(8));
        bool conservedWhileStreaming = conserved.Satisfied;
        cluster.Log($"/health after the kill: {conserved.Value} (calls still streaming: {run.Snapshot().Streaming})");

        var keys = run.Snapshot().CallResults.Select(c => c.StreamSid).ToList();
        var directory = await Poll.TryUntilAsync(
            ct => cluster.ReadDirectoryAsync(ct),
            rows => keys.All(k => rows.Count(r => r.GrainKey == k) == 1) && rows.Where(r => keys.Contains(r.GrainKey)).All(r => r.Silo != victimAddress),
            TimeSpan.FromSeconds(8));
        var directoryProblems = Placement.DirectoryProblems(keys, directory.Value ?? [], victimAddress);
        cluster.Log($"directory after the kill: {(directoryProblems.Count == 0 ? "one row per call, none on the dead silo" : string.Join("; ", directoryProblems))}");

        var summary = await TestWait.CompletesAsync(run.Completion, "the simulated calls", TimeSpan.FromSeconds(60));
        cluster.Log(summary.ToText());
        cluster.Log(CallLoad.Describe(summary.CallResults, killedAt));
        cluster.Log($"FIGURES silo kill: dead after {(dead.Satisfied ? $"{deadAfter.TotalMilliseconds:F0} ms" : "never (30 s)")}; "
            + $"affected {affected.Count}/{Calls}; max resume {resumeTimes.Max(r => r.Resumed ?? TimeSpan.MaxValue).TotalMilliseconds:F0} ms; "
            + $"server closes {summary.ServerCloses}; mismatched {summary.Mismatched}; lost {summary.Lost}; longest gap {summary.LongestEchoGapMs:F0} ms; "
            + $"health conserved {conservedWhileStreaming}; directory problems {directoryProblems.Count}");

        Assert.True(dead.Satisfied && deadAfter <= DeadTarget,
            $"[failure detection] {victim}: expected its row Dead within {DeadTarget.TotalSeconds} s of SIGKILL; actual: "
            + (dead.Satisfied ? $"Dead after {deadAfter.TotalMilliseconds:F0} ms" : $"{dead.Value?.ToString() ?? "no row"} after 30 s"));
        Assert.All(resumeTimes, r => Assert.True(r.Resumed is { } t && t <= ResumeTarget,
            $"[failover] call {r.StreamSid}: expected echo to resume within {ResumeTarget.TotalSeconds} s of the kill; actual: "
            + (r.Resumed is { } x ? $"{x.TotalMilliseconds:F0} ms" : "never")));
        Assert.True(summary.ServerCloses == 0, $"[failover] expected no Twilio socket closed by the server; actual {summary.ServerCloses}: {string.Join(" | ", summary.Errors)}");
        Assert.All(summary.CallResults, c => Assert.True(c.Mismatched == 0, $"[ordering] {c}: expected echoed audio in order, nothing reordered or duplicated (0 mismatched)"));
        // A SIGKILL loses what was in the dead silo's memory and socket buffers: the frames in flight, the echo
        // application's partial chunk. Calls on the surviving silo lose nothing; an affected call at most MaxLossOnKill.
        Assert.All(summary.CallResults.Where(c => !affected.Contains(c.StreamSid)), c => Assert.True(c.Lost == 0, $"[integrity] unaffected call {c}: expected nothing lost"));
        Assert.All(summary.CallResults.Where(c => affected.Contains(c.StreamSid)), c => Assert.True(c.Lost <= MaxLossOnKillBytes,
            $"[integrity] affected call {c}: expected at most {MaxLossOnKillBytes} bytes lost (0.5 s of audio in flight at the kill)"));
        Assert.True(directoryProblems.Count == 0, $"[single activation] expected exactly one directory row per call, none on {victimAddress}; actual: {string.Join("; ", directoryProblems)}");
        Assert.True(conservedWhileStreaming, $"[health] expected /health connections back to {Calls} while the calls still stream; actual: {conserved.Value}");
    }
}
