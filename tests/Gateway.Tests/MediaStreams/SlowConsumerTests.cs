using System.Net.WebSockets;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// A client that stops reading (README, "Limits and security"): the socket's send queue stays within
/// Gateway:OutboundQueueCapacity by dropping the oldest queued frames (counted, logged once), and a send that makes no
/// progress for Gateway:SendStallTimeout aborts the socket, and so does (with a close 1008) a peer whose probe marks
/// are not echoed for that long after their audio could have played; the stream ends FAILED(NETWORK_FAILURE) and its
/// resources are freed. While a well-behaved call streams alongside. The fake-time detail is in <see cref="SocketObserverTests"/>.
/// </summary>
[Collection(CallAlongsideCollection.Name)]
public sealed class SlowConsumerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ClientStopsReadingButKeepsSending_Closed1008ThoughKernelBuffersAbsorbTheAudioWhileCallAlongsideLosesNothing()
    {
        // Default socket buffers: they take many seconds of echo, so no send ever stalls. Before the probe marks this
        // socket stayed open: Echo's audio went unconfirmed (no mark echoes), the grain's bound refused more, and a
        // client that read again found an open socket with no audio.
        await using var host = await EmbeddedGatewayHost.StartAsync(new() { ["Gateway:SendStallTimeout"] = "00:00:02" });
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, TimeSpan.FromSeconds(8));
        using var bad = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await bad.SendAsync(RawTwilioClient.Start(sid, callSid));

        // Twilio's pace, 160 bytes every 20 ms, and never a read: bounded at 10 s, three times what detection needs.
        long sequence = 1;
        var closes = () => host.Metrics.Total("switchboard.gateway.streams.policy_closes", "reason", MediaStreamInstruments.ClientNotReading);
        var notReading = System.Diagnostics.Stopwatch.StartNew();
        while (closes() == 0 && sequence < 500)
        {
            await bad.SendAsync(RawTwilioClient.Media(sid, ++sequence));
            await Task.Delay(20);
        }

        output.WriteLine($"closed {notReading.ElapsedMilliseconds} ms after the client stopped reading (Gateway:SendStallTimeout 2 s)");
        Assert.Equal(1, closes());
        Assert.Single(host.Logs.Entries, e => e.EventName == "PlaybackStalled" && e.Message.Contains(sid, StringComparison.Ordinal)
            && e.Message.Contains("from 127.0.0.1", StringComparison.Ordinal));

        // The client reads again: what the kernel held, then the close. Never an open, mute socket.
        var reading = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await bad.ReceiveUntilCloseAsync());
        output.WriteLine($"read again: {bad.MessagesReceived} messages, then the close after {reading.ElapsedMilliseconds} ms");
        Assert.Equal(SocketObserver.ClientNotReadingReason, bad.Socket.CloseStatusDescription);
        await FrameLimitTests.AssertStreamEndedAndFreedAsync(host, sid);
        var snapshot = await host.SnapshotAsync(sid);
        Assert.Equal(ConnectionState.Failed, snapshot.State);
        Assert.Equal(ConnectionErrorCode.NetworkFailure, snapshot.Error);
        call.AssertStillStreaming("after the socket that stopped reading was closed");
        await call.AssertUnharmedAsync(output);
    }

    [Fact]
    public async Task ClientStopsReading_QueueTrimmedThenSocketAbortedAfterTheStallTimeoutWhileCallAlongsideLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync(
            new()
            {
                ["Gateway:OutboundQueueCapacity"] = "64",
                ["Gateway:SendStallTimeout"] = "00:00:02",
                // The grain's own bound (10 s of unconfirmed audio) would stop Echo long before the gateway's queue fills,
                // since a client that does not read echoes no marks: raised so the gateway's policy is what is tested.
                ["ConnectionGrain:MaxBufferedAudio"] = "01:00:00",
            },
            socketSendBufferBytes: 8 * 1024);
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, TimeSpan.FromSeconds(6));
        using var bad = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await bad.SendAsync(RawTwilioClient.Start(sid, callSid));

        // 1600-byte frames (the payload limit) at about 80 a second, under the rate limit: Echo sends each back with a
        // mark, about 170 KB/s of JSON toward a client that never reads; with the server's send buffer at 8 KB, its
        // buffers are full within a second and the gateway's queue takes the rest.
        var payload = Convert.ToBase64String(Enumerable.Range(0, 1600).Select(i => (byte)i).ToArray());
        long sequence = 1;
        while (host.Metrics.Total("switchboard.gateway.streams.policy_closes", "reason", MediaStreamInstruments.ClientNotReading) == 0 && sequence < 2000)
        {
            try
            {
                await bad.SendAsync(RawTwilioClient.Media(sid, ++sequence, payloadBase64: payload));
            }
            catch (Exception ex) when (ex is WebSocketException or InvalidOperationException)
            {
                break;
            }

            await Task.Delay(12);
        }

        await FrameLimitTests.AssertStreamEndedAndFreedAsync(host, sid);
        var snapshot = await host.SnapshotAsync(sid);
        Assert.Equal(ConnectionState.Failed, snapshot.State);
        Assert.Equal(ConnectionErrorCode.NetworkFailure, snapshot.Error);
        Assert.True(host.Metrics.Total("switchboard.gateway.outbound.trimmed") > 0, host.Metrics.Describe());
        Assert.Equal(1, host.Metrics.Total("switchboard.gateway.streams.policy_closes", "reason", MediaStreamInstruments.ClientNotReading));
        Assert.Single(host.Logs.Entries, e => e.EventName == "OutboundTrimmed" && e.Message.Contains(sid, StringComparison.Ordinal)
            && e.Message.Contains("from 127.0.0.1", StringComparison.Ordinal));
        // Whichever detector fires first: the stalled send, or the probe marks' missing echoes (both on SendStallTimeout).
        Assert.Single(host.Logs.Entries, e => e.EventName is "SendStalled" or "PlaybackStalled" && e.Message.Contains(sid, StringComparison.Ordinal));
        Assert.Contains(host.Logs.Entries, e => e.EventName == "StreamClosed" && e.Message.Contains(sid, StringComparison.Ordinal)
            && e.Message.Contains("client stopped reading", StringComparison.Ordinal));
        call.AssertStillStreaming("after the socket that stopped reading was aborted");
        await call.AssertUnharmedAsync(output);
    }
}
