using System.Diagnostics;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// A client that vanishes without closing, half-open TCP (README, "Limits and security"): the grain's heartbeat
/// (ConnectionGrain:HeartbeatTimeout, checked every HeartbeatCheckPeriod) detects the silence, ends the stream
/// FAILED(CONNECTION_TIMEOUT) and asks the gateway to close; the close frame goes unanswered, so the gateway frees the
/// socket after Gateway:CloseHandshakeTimeout; the grain deactivates after its RetentionPeriod. While a well-behaved call
/// streams alongside. (The gateway's own keep-alive, Gateway:KeepAliveTimeout, is the second detector, for a stream that
/// is silent before its start.)
/// </summary>
[Collection(CallAlongsideCollection.Name)]
public sealed class HalfOpenConnectionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CheckPeriod = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task ClientVanishesWithoutClosing_HeartbeatEndsTheStreamAndFreesItsResourcesWhileCallAlongsideLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync(new()
        {
            ["ConnectionGrain:HeartbeatTimeout"] = "00:00:02",
            ["ConnectionGrain:HeartbeatCheckPeriod"] = "00:00:00.250",
            ["ConnectionGrain:RetentionPeriod"] = "00:00:00.500",
            ["Gateway:CloseHandshakeTimeout"] = "00:00:01",
        });
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, TimeSpan.FromSeconds(7));
        await using var proxy = new FreezableTcpProxy(host.WebSocketUri);
        using var vanishing = await RawTwilioClient.ConnectAsync(proxy.Through(host.WebSocketUri));
        var (sid, callSid) = RawTwilioClient.NewIds();
        await vanishing.SendAsync(RawTwilioClient.Start(sid, callSid));
        for (var sequence = 2; sequence <= 11; sequence++)
        {
            await vanishing.SendAsync(RawTwilioClient.Media(sid, sequence));
            await Task.Delay(20);
        }

        await TestWait.UntilAsync(async () => (await host.SnapshotAsync(sid)).MediaReceived == 10, "the vanishing stream's media reached its grain");
        var vanished = Stopwatch.StartNew();
        proxy.Freeze();

        ConnectionSnapshot? snapshot = null;
        await TestWait.UntilAsync(
            async () => (snapshot = await host.SnapshotAsync(sid)).State == ConnectionState.Disconnected,
            "the heartbeat ended the silent stream",
            () => $"state {snapshot?.State}");
        var detectedAfter = vanished.Elapsed;
        await TestWait.UntilAsync(() => host.OpenStreams == 1, "the gateway freed the silent socket", () => $"{host.OpenStreams} open");
        var freedAfter = vanished.Elapsed;
        // Only the call alongside (still streaming) keeps a connection grain; the simulator's once-per-process warm-up
        // call, which may still be within its retention here, is gone by then too.
        await TestWait.UntilAsync(() => host.ConnectionActivations == 1, "the silent stream's grain deactivated after its retention",
            () => $"{host.ConnectionActivations} connection activations");

        output.WriteLine($"detected after {detectedAfter.TotalMilliseconds:F0} ms, socket freed after {freedAfter.TotalMilliseconds:F0} ms");
        Assert.Equal(ConnectionErrorCode.ConnectionTimeout, snapshot!.Error);
        // Within the configured time: the heartbeat timeout plus one check period, with 1 s of slack for a loaded machine.
        Assert.InRange(detectedAfter, HeartbeatTimeout - TimeSpan.FromMilliseconds(100), HeartbeatTimeout + CheckPeriod + TimeSpan.FromSeconds(1));
        Assert.True(freedAfter <= detectedAfter + CloseHandshakeTimeout + TimeSpan.FromSeconds(1), $"freed {freedAfter} after detection {detectedAfter}");
        Assert.Equal(1, host.Metrics.Total("switchboard.connection.ended", "error", "connection_timeout"));
        Assert.Contains(host.Logs.Entries, e => e.Message.Contains($"Connection {sid} received no message for", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Entries, e => e.EventName == "CloseRequested" && e.Message.Contains(sid, StringComparison.Ordinal)
            && e.Message.Contains("ConnectionTimeout", StringComparison.Ordinal) && e.Message.Contains("from 127.0.0.1", StringComparison.Ordinal));
        call.AssertStillStreaming("after the silent stream was freed");
        await call.AssertUnharmedAsync(output);
    }
}
