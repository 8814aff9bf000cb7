using System.Net.WebSockets;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// The written policy for <c>start</c> out of place (README, "Limits and security"): messages before <c>start</c> are
/// buffered up to Gateway:MaxBufferedBeforeStart and replayed after it, the rest dropped and counted; a second
/// <c>start</c> on one socket is refused (malformed, not forwarded); a <c>start</c> for a stream another socket holds,
/// or that has ended, closes the newcomer with 1008 and leaves the holder alone. Each while a well-behaved call streams
/// alongside.
/// </summary>
[Collection(CallAlongsideCollection.Name)]
public sealed class StreamStartPolicyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CallDuration = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task StartForALiveStreamFromAnotherSocket_Closed1008BeforeAnyAudioAndTheLiveCallLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, CallDuration);
        var liveSid = Assert.Single(call.StreamSids);
        using var stranger = await RawTwilioClient.ConnectAsync(host.WebSocketUri);

        // A stranger who learnt the live streamSid replays Twilio's upgrade and starts it, then sends audio of its own.
        await stranger.SendAsync(RawTwilioClient.Start(liveSid, "CA" + new string('7', 32)));
        await stranger.SendAsync(RawTwilioClient.Media(liveSid, 2, fill: 0x11));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await stranger.ReceiveUntilCloseAsync());
        Assert.Equal(0, stranger.MessagesReceived);
        Assert.Equal("stream is live on another socket", stranger.Socket.CloseStatusDescription);
        Assert.Equal(1, host.Metrics.Total("switchboard.gateway.streams.policy_closes", "reason", MediaStreamInstruments.DuplicateStream));
        Assert.Single(host.Logs.Entries, e => e.EventName == "DuplicateStreamRejected" && e.Message.Contains(liveSid, StringComparison.Ordinal)
            && e.Message.Contains("from 127.0.0.1 refused", StringComparison.Ordinal) && e.Message.Contains("is (or was) from 127.0.0.1", StringComparison.Ordinal));
        var snapshot = await host.SnapshotAsync(liveSid);
        Assert.Equal(ConnectionState.Connected, snapshot.State);
        Assert.NotEqual("CA" + new string('7', 32), snapshot.CallSid);
        call.AssertStillStreaming("after the stranger's start was refused");
        await call.AssertUnharmedAsync(output);
    }

    [Fact]
    public async Task StartOfAnotherStreamForALiveCall_Closed1008BeforeAnyAudioAndTheLiveCallLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, CallDuration);
        var (liveSid, liveCallSid) = Assert.Single(call.Streams);
        using var stranger = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (strangerSid, _) = RawTwilioClient.NewIds();

        // The live call's callSid on a streamSid of the stranger's own: Twilio opens one bidirectional stream per call.
        await stranger.SendAsync(RawTwilioClient.Start(strangerSid, liveCallSid));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await stranger.ReceiveUntilCloseAsync());
        Assert.Equal(0, stranger.MessagesReceived);
        Assert.Equal(1, host.Metrics.Total("switchboard.gateway.streams.policy_closes", "reason", MediaStreamInstruments.DuplicateStream));
        Assert.Single(host.Logs.Entries, e => e.EventName == "DuplicateStreamRejected" && e.Message.Contains(strangerSid, StringComparison.Ordinal)
            && e.Message.Contains("is (or was) from 127.0.0.1", StringComparison.Ordinal));
        Assert.Equal(ConnectionState.Connecting, (await host.SnapshotAsync(strangerSid)).State);
        Assert.Equal(ConnectionState.Connected, (await host.SnapshotAsync(liveSid)).State);
        call.AssertStillStreaming("after the stranger's stream for the live call was refused");
        await call.AssertUnharmedAsync(output);
    }

    [Fact]
    public async Task StartForAnEndedStream_Closed1008AsDuplicateWhileCallAlongsideLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, CallDuration);
        var (sid, callSid) = RawTwilioClient.NewIds();
        using (var first = await RawTwilioClient.ConnectAsync(host.WebSocketUri))
        {
            await first.SendAsync(RawTwilioClient.Start(sid, callSid));
            await first.SendAsync(RawTwilioClient.Stop(sid, callSid, 2));
            Assert.Equal(WebSocketCloseStatus.NormalClosure, await first.ReceiveUntilCloseAsync());
        }

        using var late = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        await late.SendAsync(RawTwilioClient.Start(sid, callSid));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await late.ReceiveUntilCloseAsync());
        Assert.Equal(0, late.MessagesReceived);
        Assert.Equal("stream has ended", late.Socket.CloseStatusDescription);
        Assert.Equal(1, host.Metrics.Total("switchboard.gateway.streams.policy_closes", "reason", MediaStreamInstruments.DuplicateStream));
        Assert.Single(host.Logs.Entries, e => e.EventName == "DuplicateStreamRejected" && e.Message.Contains(sid, StringComparison.Ordinal));
        Assert.Equal(ConnectionState.Disconnected, (await host.SnapshotAsync(sid)).State);
        call.AssertStillStreaming("after the late start was refused");
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
