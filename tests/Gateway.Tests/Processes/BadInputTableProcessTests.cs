using System.Text;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.TestInfrastructure.BadInput;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Switchboard.Gateway.Tests.Processes;

/// <summary>
/// The README's bad-input table checked against the running embedded process (<c>Switchboard.Silo.dll</c>, what the
/// README's run command starts), not an in-process host: for every row, the answer it promises, while a well-behaved
/// call streams beside it and loses nothing with its echo p99 under 200 ms. One process for all rows; each row gets a
/// call of its own. The same rows run against a cluster gateway in <c>tests/Cluster.Tests</c>.
/// </summary>
[Collection(CallAlongsideCollection.Name)]
public sealed class BadInputTableProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EmbeddedProcess_EveryRowOfTheTable_AnsweredAsPromisedWhileTheCallBesideLosesNothing()
    {
        var settings = new BadInputSettings();
        await using var silo = await SiloProcess.StartAsync(settings.Environment, output);
        // One call first: the rows judge a warmed-up process, not the first call's cold path.
        await using (var warmUp = await CallAlongside.StartAsync(silo.WebSocketUri, TimeSpan.FromSeconds(2)))
        {
            await warmUp.AssertUnharmedAsync(p99BoundMs: double.MaxValue);
        }

        var report = new StringBuilder("| input | promised | answer | call beside |\n|---|---|---|---|\n");
        var failures = 0;

        foreach (var row in BadInputTable.Rows)
        {
            await using var call = await CallAlongside.StartAsync(silo.WebSocketUri, TimeSpan.FromSeconds(row.Slow ? 12 : 4));
            var (liveSid, liveCallSid) = Assert.Single(call.Streams);
            var target = new BadInputTarget(silo.WebSocketUri, GatewayTestHost.AuthToken, "wss://voice.example.com/twilio/media-stream", liveSid, liveCallSid, settings);
            var answer = await row.Check(target);
            string beside;
            try
            {
                var summary = await call.AssertUnharmedAsync();
                beside = $"lost {summary.Lost}, p99 {summary.P99:F1} ms";
            }
            catch (XunitException ex)
            {
                beside = "HARMED: " + ex.Message.ReplaceLineEndings(" ");
            }

            var ok = answer is null && !beside.StartsWith("HARMED", StringComparison.Ordinal);
            failures += ok ? 0 : 1;
            report.Append($"| {row.Input} | {row.Answer} | {answer ?? "as promised"} | {beside} |\n");
        }

        output.WriteLine(report.ToString());
        Assert.True(failures == 0, $"{failures} row(s) answered otherwise than the README promises, or harmed the call beside:\n{report}\nprocess log tail:\n{silo.Tail()}");
    }
}
