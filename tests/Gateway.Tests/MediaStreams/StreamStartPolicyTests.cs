using System.Net.WebSockets;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// The written policy for <c>start</c> out of place (README, "Limits and security"): messages before <c>start</c> are
/// buffered up to Gateway:MaxBufferedBeforeStart and replayed after it, the rest dropped and counted; a second
/// <c>start</c> on one socket is refused (malformed, not forwarded); a <c>start</c> for a stream another socket holds
/// replaces that socket (closed with 1008). Each while a well-behaved call streams alongside.
/// </summary>
[Collection(CallAlongsideCollection.Name)]
public sealed class StreamStartPolicyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CallDuration = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task StartForAStreamAnotherSocketHolds_OldSocketClosed1008AndNewOneCarriesTheStream()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, CallDuration);
        var (sid, callSid) = RawTwilioClient.NewIds();
        using var first = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        await first.SendAsync(RawTwilioClient.Start(sid, callSid));
        await first.SendAsync(RawTwilioClient.Media(sid, 2));
        await TestWait.UntilAsync(async () => (await host.SnapshotAsync(sid)).MediaReceived == 1, "the first socket's media reached the grain");

        using var second = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        await second.SendAsync(RawTwilioClient.Start(sid, callSid, sequence: 3));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await first.ReceiveUntilCloseAsync());
        Assert.Equal("replaced by a newer socket", first.Socket.CloseStatusDescription);
        await second.SendAsync(RawTwilioClient.Media(sid, 4));
        await second.SendAsync(RawTwilioClient.Stop(sid, callSid, 5));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await second.ReceiveUntilCloseAsync());
        var snapshot = await host.SnapshotAsync(sid);
        Assert.Equal(ConnectionState.Disconnected, snapshot.State);
        Assert.Equal(2, snapshot.MediaReceived);
        Assert.Equal(1, host.Metrics.Total("switchboard.connection.sockets.replaced"));
        Assert.Contains(host.Logs.Entries, e => e.Message.Contains($"Connection {sid} socket from gateway", StringComparison.Ordinal)
            && e.Message.Contains("replaced by a newer socket", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Entries, e => e.EventName == "CloseRequested" && e.Message.Contains(sid, StringComparison.Ordinal)
            && e.Message.Contains("from 127.0.0.1", StringComparison.Ordinal) && e.Message.Contains("1008", StringComparison.Ordinal));
        call.AssertStillStreaming("after the replaced socket's stream ended");
        await call.AssertUnharmedAsync(output);
    }

    [Fact]
    public async Task SecondStartOnOneSocket_RefusedAsMalformedNeverForwardedAndTheFirstStreamCarriesOn()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, CallDuration);
        var (sid, callSid) = RawTwilioClient.NewIds();
        var (otherSid, otherCallSid) = RawTwilioClient.NewIds();
        using var bad = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        await bad.SendAsync(RawTwilioClient.Start(sid, callSid));

        await bad.SendAsync(RawTwilioClient.Start(otherSid, otherCallSid, sequence: 2));
        await bad.SendAsync(RawTwilioClient.Start(sid, "CA" + new string('0', 32), sequence: 3));
        await bad.SendAsync(RawTwilioClient.Media(sid, 4));
        await bad.SendAsync(RawTwilioClient.Stop(sid, callSid, 5));

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await bad.ReceiveUntilCloseAsync());
        var snapshot = await host.SnapshotAsync(sid);
        Assert.Equal(callSid, snapshot.CallSid);
        Assert.Equal(1, snapshot.MediaReceived);
        Assert.Equal(2, host.Metrics.Total("switchboard.gateway.messages.malformed", "error", "second_start"));
        Assert.Equal(0, host.Metrics.Total("switchboard.connection.sockets.replaced"));
        // The other stream's grain was never asked to start: its snapshot is a fresh activation's.
        Assert.Equal(ConnectionState.Connecting, (await host.SnapshotAsync(otherSid)).State);
        Assert.Single(host.Logs.Entries, e => e.EventName == "MalformedMessage" && e.Message.Contains("SecondStart", StringComparison.Ordinal));
        call.AssertStillStreaming("after the stream with a second start ended");
        await call.AssertUnharmedAsync(output);
    }

    [Fact]
    public async Task MediaBeforeStart_OverTheBuffer_FirstOnesReplayedInOrderRestDroppedAndCounted()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync(new() { ["Gateway:MaxBufferedBeforeStart"] = "2" });
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, CallDuration);
        var (sid, callSid) = RawTwilioClient.NewIds();
        using var bad = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        await bad.SendAsync(RawTwilioClient.Connected());

        for (var sequence = 2; sequence <= 6; sequence++)
        {
            await bad.SendAsync(RawTwilioClient.Media(sid, sequence));
        }

        await bad.SendAsync(RawTwilioClient.Start(sid, callSid));
        await bad.SendAsync(RawTwilioClient.Stop(sid, callSid, 7));

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await bad.ReceiveUntilCloseAsync());
        var snapshot = await host.SnapshotAsync(sid);
        Assert.Equal(2, snapshot.MediaReceived);
        // Replayed after start: 2 and 3 in order; 4..6 dropped, so 7 (stop) arrives after a gap of three.
        Assert.Equal(0, snapshot.Reordered);
        Assert.Equal(3, snapshot.SequenceGaps);
        Assert.Equal(3, host.Metrics.Total("switchboard.gateway.messages.dropped_before_start"));
        Assert.Single(host.Logs.Entries, e => e.EventName == "PreStartBufferFull" && e.Message.Contains("from 127.0.0.1", StringComparison.Ordinal));
        call.AssertStillStreaming("after the early stream ended");
        await call.AssertUnharmedAsync(output);
    }
}
