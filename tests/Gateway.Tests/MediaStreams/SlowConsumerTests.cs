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
/// progress for Gateway:SendStallTimeout aborts the socket; the stream ends FAILED(NETWORK_FAILURE) and its resources
/// are freed. While a well-behaved call streams alongside. The fake-time detail is in <see cref="SocketObserverTests"/>.
/// </summary>
[Collection(CallAlongsideCollection.Name)]
public sealed class SlowConsumerTests(ITestOutputHelper output)
{
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
        Assert.Single(host.Logs.Entries, e => e.EventName == "SendStalled" && e.Message.Contains(sid, StringComparison.Ordinal));
        Assert.Contains(host.Logs.Entries, e => e.EventName == "StreamClosed" && e.Message.Contains(sid, StringComparison.Ordinal)
            && e.Message.Contains("client stopped reading", StringComparison.Ordinal));
        call.AssertStillStreaming("after the socket that stopped reading was aborted");
        await call.AssertUnharmedAsync(output);
    }
}
