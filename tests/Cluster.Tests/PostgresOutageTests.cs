using System.Diagnostics;
using Switchboard.Cluster.Tests.Harness;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Cluster.Tests;

/// <summary>
/// PostgreSQL (Orleans' membership table, the connection checkpoints) goes away for about 5 s under 20 live calls: media
/// keeps flowing (no call closed, nothing lost or reordered, no echo gap over 1 s; the longest gap is printed), nobody is
/// declared dead for it, /health is degraded naming the membership store while it is down (each silo probes it) and
/// healthy again once the database is back.
/// </summary>
public sealed class PostgresOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan GapTarget = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HealthLatencyWindow = TimeSpan.FromSeconds(60);

    /// <summary>How long the calls stream before the database goes away: the outage lands on calls in their steady
    /// state, not on the first second of three freshly started processes (tiered JIT, first-use paths).</summary>
    private static readonly TimeSpan SteadyStateBeforeOutage = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Cluster_PostgresStopped_CallsKeepFlowingAndClusterRecovers()
    {
        const int Calls = 20;
        await using var postgres = await PostgresServer.StartDedicatedAsync();
        await using var cluster = await ProcessCluster.CreateAsync(output, postgres, "pgdown");
        var silos = await cluster.StartSilosAsync("silo1", "silo2");
        var gateway = await cluster.StartGatewayAsync("gateway1");

        var run = CallLoad.Start(gateway, Calls, TimeSpan.FromSeconds(24));
        await CallLoad.WaitAllEchoingAsync(run, "calls start");
        await CallLoad.WaitPlacedAsync(cluster, run, "calls placed");
        var before = await Poll.TryUntilAsync(ct => cluster.ReadHealthAsync(gateway, ct), h => h.IsHealthy, TimeSpan.FromSeconds(8));
        cluster.Log($"/health before the outage ({before.Elapsed.TotalMilliseconds:F0} ms): {before.Value?.Brief}");
        await Task.Delay(SteadyStateBeforeOutage);

        long stoppedAt = Stopwatch.GetTimestamp();
        await postgres.StopAsync();
        cluster.Log($"PostgreSQL stopped ({Stopwatch.GetElapsedTime(stoppedAt).TotalMilliseconds:F0} ms)");

        // Keep the database down for the outage while watching /health: the outage is the scenario, the reads bound it.
        var readings = new List<HealthReading>();
        for (int i = 0; i < 1000 && Stopwatch.GetElapsedTime(stoppedAt) < Outage; i++)
        {
            readings.Add(await cluster.ReadHealthAsync(gateway));
            await Task.Delay(Poll.Interval);
        }

        bool degradedWhileDown = readings.Any(h => h.Status == "degraded" && NamesStore(h));
        cluster.Log($"/health while PostgreSQL was down: {string.Join(", ", readings.GroupBy(h => h.Brief).Select(g => $"{g.Key} x{g.Count()}"))}");

        long restartAt = Stopwatch.GetTimestamp();
        await postgres.StartAsync();
        cluster.Log($"PostgreSQL started again ({Stopwatch.GetElapsedTime(restartAt).TotalMilliseconds:F0} ms), down {Stopwatch.GetElapsedTime(stoppedAt).TotalSeconds:F1} s");

        // Latency spikes during the outage stay in the health grain's p99 window (Health:LatencyWindow, 60 s): allow it to pass.
        var healthy = await Poll.TryUntilAsync(ct => cluster.ReadHealthAsync(gateway, ct), h => h.IsHealthy, HealthLatencyWindow + TimeSpan.FromSeconds(10));
        cluster.Log($"/health {healthy.Elapsed.TotalMilliseconds:F0} ms after the restart: {healthy.Value?.Brief} (calls streaming: {run.Snapshot().Streaming})");
        var membersAfter = await Poll.UntilAsync("after the outage", "orleansmembershiptable", "readable", ct => cluster.ReadMembershipAsync(ct), _ => true, TimeSpan.FromSeconds(10));

        var summary = await TestWait.CompletesAsync(run.Completion, "the simulated calls", TimeSpan.FromSeconds(60));
        var membersAtEnd = await cluster.ReadMembershipAsync();
        var keys = summary.CallResults.Select(c => c.StreamSid).ToList();
        var restarted = keys.Where(k => Placement.RestoresOf(silos, k).Count > 0).ToList();
        int failedWrites = silos.Sum(s => s.ConnectionEvents().Count(e => e.IsGrain && e.Event == ConnectionEvent.WriteFailed));
        cluster.Log(summary.ToText());
        cluster.Log(CallLoad.Describe(summary.CallResults, stoppedAt));
        var worst = summary.CallResults.MaxBy(c => c.LongestEchoGap)!;
        cluster.Log($"FIGURES PostgreSQL outage: longest echo gap {summary.LongestEchoGapMs:F0} ms ({worst.StreamSid}); lost {summary.Lost}; "
            + $"closes {summary.ServerCloses}; mismatched {summary.Mismatched}; calls restarted {restarted.Count}; checkpoint writes failed (first per episode) {failedWrites}; "
            + $"degraded naming the store while down {degradedWhileDown}; "
            + $"healthy again after {(healthy.Satisfied ? $"{healthy.Elapsed.TotalMilliseconds:F0} ms" : "never")}; "
            + $"members after: {string.Join(", ", membersAfter)}; at the end: {string.Join(", ", membersAtEnd)}");

        cluster.AssertNoUnexpectedExit();
        Assert.All(summary.CallResults, c => Assert.True(c.LongestEchoGap <= GapTarget,
            $"[outage] {c}: expected no echo gap over {GapTarget.TotalSeconds} s while PostgreSQL was down"));
        Assert.True(summary.Lost == 0 && summary.Mismatched == 0 && summary.ServerCloses == 0 && summary.ExitCode == 0,
            $"[outage] expected every call to complete with nothing lost and no socket closed; actual:{Environment.NewLine}{summary.ToText()}");
        Assert.True(restarted.Count == 0, $"[outage] expected no call's grain restarted for a database outage; actual: {string.Join(", ", restarted)}");
        Assert.True(degradedWhileDown, "[outage] expected /health degraded with a reason naming the membership store while PostgreSQL was down; actual: "
            + string.Join(", ", readings.GroupBy(h => h.Brief).Select(g => $"{g.Key} x{g.Count()}")));
        Assert.True(healthy.Satisfied, $"[recovery] expected /health healthy within the latency window + 10 s of PostgreSQL's restart; actual: {healthy.Value?.Brief}"
            + (before.Satisfied ? string.Empty : $" (it was not healthy before the outage either: {before.Value?.Brief})"));
        foreach (var silo in silos)
        {
            var row = membersAtEnd.Where(m => m.Port == silo.Port).MaxBy(m => m.Generation);
            Assert.True(row?.Status == MemberStatus.Active && !silo.HasExited,
                $"[recovery] {silo}: expected its row still Active after the outage; actual: {string.Join(", ", membersAtEnd.Where(m => m.Port == silo.Port))}, process {(silo.HasExited ? $"exited {silo.ExitCode}" : "running")}");
        }

        Assert.DoesNotContain(membersAtEnd, m => m.Status == MemberStatus.Dead);
    }

    private static bool NamesStore(HealthReading reading)
        => reading.Reasons.Any(r => r.Contains("store", StringComparison.OrdinalIgnoreCase));
}
