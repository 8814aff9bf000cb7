using Switchboard.TestInfrastructure;

namespace Switchboard.TwilioSim.Tests;

public sealed class SimulatorLoopbackTests
{
    [Fact]
    public async Task RunAsync_NoServerListening_AllCallsFailWithConnectError()
    {
        var options = new SimulatorOptions
        {
            Url = new Uri("ws://127.0.0.1:1/twilio/media-stream"),
            Calls = 2,
            Duration = TimeSpan.FromSeconds(1),
        };

        var summary = await Simulator.RunAsync(options, CancellationToken.None);

        Assert.Equal(0, summary.Connected);
        Assert.Equal(2, summary.Failed);
        Assert.All(summary.Errors, e => Assert.Contains("connect failed", e, StringComparison.Ordinal));
        Assert.Equal(1, summary.ExitCode);
    }

    [Fact]
    public async Task RunAsync_ServerClosesAfterStart_ReportsUnexpectedCloseCode()
    {
        await using var server = await TwilioEchoServer.StartAsync(EchoServerBehavior.CloseAfterStart);

        var summary = await Simulator.RunAsync(Options(server, calls: 2, seconds: 1), CancellationToken.None);

        Assert.Equal(2, summary.Connected);
        Assert.Equal(2, summary.Failed);
        Assert.Contains(summary.Errors, e => e.Contains("unexpected close 1011 'boom'", StringComparison.Ordinal));
        Assert.Equal(1, summary.ExitCode);
        Assert.Equal(2, summary.ServerCloses);
        Assert.All(summary.CallResults, c => Assert.True(c.ServerClosed, c.ToString()));
    }

    [Fact]
    public async Task RunAsync_ServerDropsConnection_CountsServerCloses()
    {
        await using var server = await TwilioEchoServer.StartAsync(EchoServerBehavior.AbortAfterStart);

        var summary = await Simulator.RunAsync(Options(server, calls: 2, seconds: 1), CancellationToken.None);

        Assert.Equal(2, summary.Failed);
        Assert.Equal(2, summary.ServerCloses);
        Assert.All(summary.CallResults, c => Assert.True(c.ServerClosed && c.State == CallState.Failed, c.ToString()));
        Assert.Equal(1, summary.ExitCode);
    }

    [Fact]
    public async Task Start_ServerStallsEcho_LiveProgressThenGapAndResumeMeasuredPerCall()
    {
        await using var server = await TwilioEchoServer.StartAsync(EchoServerBehavior.StallOnce);
        var run = Simulator.Start(Options(server, calls: 2, seconds: 3), CancellationToken.None);

        await TestWait.UntilAsync(() => run.Snapshot().Streaming == 2, "both calls stream", () => run.Snapshot().ToString());
        var live = run.Snapshot();
        var summary = await TestWait.CompletesAsync(run.Completion, "the simulation", TimeSpan.FromSeconds(30));

        Assert.Equal(2, live.CallResults.Count);
        Assert.True(summary.ExitCode == 0, summary.ToText());
        Assert.Equal(0, summary.ServerCloses);
        Assert.Equal(2, summary.CallResults.Count);
        Assert.Equal(2, server.StallStartedAt.Count);
        foreach (var call in summary.CallResults)
        {
            Assert.Equal(0, call.Lost);
            Assert.Equal(0, call.Mismatched);
            Assert.False(call.ServerClosed);
            Assert.InRange(call.LongestEchoGap, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2.5));
            var resumed = call.EchoResumedAfter(server.StallStartedAt[call.StreamSid]);
            Assert.NotNull(resumed);
            Assert.InRange(resumed.Value, TimeSpan.FromMilliseconds(550), TimeSpan.FromSeconds(2.5));
        }

        Assert.InRange(summary.LongestEchoGapMs, 500, 2500);
    }

    [Fact]
    public async Task RunAsync_ServerDropsFrames_CountsLostBytesNotMismatches()
    {
        await using var server = await TwilioEchoServer.StartAsync(EchoServerBehavior.DropEveryFifth);

        var summary = await Simulator.RunAsync(Options(server, calls: 1, seconds: 1, drain: 0.5), CancellationToken.None);

        // 50 frames sent, every 5th dropped: 10 frames never echoed; the echo after each drop is recognised as later
        // audio in order (a skipped run), so nothing counts as mismatched.
        Assert.Equal(50 * 160, summary.BytesSent);
        Assert.Equal(10 * 160, summary.Lost);
        Assert.Equal(0, summary.Mismatched);
        Assert.Equal(1, summary.ExitCode);
    }

    [Fact]
    public async Task RunAsync_EchoServer_NoLossRttsMeasuredAndMarksEchoed()
    {
        await using var server = await TwilioEchoServer.StartAsync(EchoServerBehavior.Echo);
        var options = new SimulatorOptions
        {
            Url = server.Url,
            Calls = 3,
            Duration = TimeSpan.FromSeconds(2),
            Ramp = TimeSpan.FromMilliseconds(200),
            AuthToken = "12345",
            PublicUrl = new Uri("https://example.ngrok.app"),
        };

        var summary = await Simulator.RunAsync(options, CancellationToken.None);

        Assert.True(summary.ExitCode == 0, summary.ToText());
        Assert.Equal(3, summary.Connected);
        Assert.Equal(0, summary.Failed);
        Assert.Equal(3 * 100, summary.MediaSent);
        Assert.Equal(3 * 100 * 160, summary.BytesSent);
        Assert.Equal(summary.BytesSent, summary.BytesEchoed);
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Mismatched);
        Assert.Equal(summary.MediaSent, summary.RoundTrips);
        Assert.InRange(summary.P50, 0.001, 1000);
        Assert.True(summary.Max >= summary.P99 && summary.P99 >= summary.P50, summary.ToText());
        Assert.Equal(3 * 10, server.MarksSent);
        Assert.Equal(server.MarksSent, summary.MarksEchoed);
        Assert.Equal(server.MarksSent, server.MarksEchoed);
        Assert.Equal(0, summary.ServerCloses);
        Assert.Equal([0, 1, 2], summary.CallResults.Select(c => c.Index));
        Assert.All(summary.CallResults, c => Assert.True(c.State == CallState.Completed && c.BytesEchoed == c.BytesSent && c.Lost == 0, c.ToString()));
        Assert.InRange(summary.LongestEchoGapMs, 0.001, 1000);
        Assert.Equal(3, server.StopsReceived.Count);
        // Same vector as TwilioSignatureTests (independently computed HMAC-SHA1 of the public wss:// URL).
        Assert.Equal(["SL3tg5oEvc6d7p+YeDHtx9kKp5Q=", "SL3tg5oEvc6d7p+YeDHtx9kKp5Q=", "SL3tg5oEvc6d7p+YeDHtx9kKp5Q="], server.Signatures.ToArray());
        Assert.Empty(summary.Errors);
    }

    private static SimulatorOptions Options(TwilioEchoServer server, int calls, double seconds, double drain = 2) => new()
    {
        Url = server.Url,
        Calls = calls,
        Duration = TimeSpan.FromSeconds(seconds),
        Drain = TimeSpan.FromSeconds(drain),
    };
}
