using System.Text;
using Switchboard.Cluster.Tests.Harness;
using Switchboard.TestInfrastructure;
using Switchboard.TestInfrastructure.BadInput;
using Xunit.Abstractions;

namespace Switchboard.Cluster.Tests;

/// <summary>
/// The README's bad-input table against cluster mode: one silo, two gateways, the well-behaved call on gateway A and
/// every attack on gateway B, which is where it matters for the rows that name a live call's stream (the grains that
/// refuse them are cluster-wide). Per row, the answer the table promises and the call beside losing nothing with its
/// echo p99 under 200 ms. The signature row is left to the embedded run (these gateways check no signatures).
/// </summary>
public sealed class BadInputAcrossGatewaysTests(ITestOutputHelper output)
{
    private const double P99BoundMs = 200;

    [Fact]
    public async Task Cluster_EveryRowOfTheTableOnAnotherGatewayThanTheCall_AnsweredAsPromisedWhileTheCallLosesNothing()
    {
        var settings = new BadInputSettings();
        var postgres = await PostgresServer.SharedAsync();
        await using var cluster = await ProcessCluster.CreateAsync(output, postgres, "badinput");
        await cluster.StartSiloAsync("silo1", settings.Environment);
        var gatewayA = await cluster.StartGatewayAsync("gatewayA", settings.Environment);
        var gatewayB = await cluster.StartGatewayAsync("gatewayB", settings.Environment);
        // A call through each gateway first: the rows judge a warmed-up cluster, not the first call's cold path (JIT,
        // the first activations), which on a busy machine alone held the first row's p99 at 358 ms.
        var warmUp = new[] { CallLoad.Start(gatewayA, 1, TimeSpan.FromSeconds(3)), CallLoad.Start(gatewayB, 1, TimeSpan.FromSeconds(3)) };
        foreach (var call in warmUp)
        {
            await TestWait.CompletesAsync(call.Completion, "a warm-up call", TimeSpan.FromSeconds(60));
        }

        var report = new StringBuilder("| input | promised | answer on gatewayB | call on gatewayA |\n|---|---|---|---|\n");
        var failures = 0;

        foreach (var row in BadInputTable.Rows.Where(r => !r.NeedsSignatures))
        {
            // Long enough that the echo's last partial chunk, which Echo only flushes on stop (after the simulator's 3 s
            // drain), is one round trip of more than a hundred and not the p99.
            var run = CallLoad.Start(gatewayA, 1, TimeSpan.FromSeconds(row.Slow ? 12 : 9));
            var live = (await CallLoad.WaitAllEchoingAsync(run, $"the call beside '{row.Input}'")).CallResults.Single();
            var target = new BadInputTarget(gatewayB.MediaStreamUrl, null, string.Empty, live.StreamSid, live.CallSid, settings);
            var answer = await row.Check(target);
            var summary = await TestWait.CompletesAsync(run.Completion, $"the call beside '{row.Input}'", TimeSpan.FromSeconds(60));
            var harmed = summary.ExitCode != 0 || summary.Lost != 0 || summary.ServerCloses != 0 || summary.P99 >= P99BoundMs;
            failures += answer is null && !harmed ? 0 : 1;
            report.Append($"| {row.Input} | {row.Answer} | {answer ?? "as promised"} | {(harmed ? "HARMED: " : string.Empty)}lost {summary.Lost}, closes {summary.ServerCloses}, p50 {summary.P50:F1} p99 {summary.P99:F1} max {summary.Max:F1} ms, longest gap {summary.LongestEchoGapMs:F0} ms, {summary.RoundTrips} round trips |\n");
        }

        cluster.Log("FIGURES bad input across gateways:\n" + report);
        cluster.AssertNoUnexpectedExit();
        Assert.True(failures == 0, $"{failures} row(s) answered otherwise than the README promises, or harmed the call on the other gateway:\n{report}");
    }
}
