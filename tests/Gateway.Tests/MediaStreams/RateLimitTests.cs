using System.Net.WebSockets;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// A message flood over the stream's rate limit (README, "Limits and security"): the grain's token bucket drops the
/// excess (RATE_LIMIT recorded, counted), and an episode lasting ConnectionGrain:SustainedRateLimit closes the socket with
/// 1008 and FAILED(RATE_LIMIT). While a well-behaved call, under the same limit, streams alongside.
/// </summary>
[Collection(CallAlongsideCollection.Name)]
public sealed class RateLimitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task MessageFlood_SustainedOverTheRateLimit_ThrottledThenClosed1008RateLimitWhileCallAlongsideLosesNothing()
    {
        // Defaults (100/s, burst 200) except the sustained period, 1 s instead of 5 s to keep the test short.
        await using var host = await EmbeddedGatewayHost.StartAsync(new() { ["ConnectionGrain:SustainedRateLimit"] = "00:00:01" });
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, TimeSpan.FromSeconds(5));
        using var bad = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await bad.SendAsync(RawTwilioClient.Start(sid, callSid));
        var closed = bad.ReceiveUntilCloseAsync();

        // About 400 messages per second (4 every 10 ms), four times the limit, until the gateway closes the socket.
        long sequence = 1;
        var sent = 0;
        while (!closed.IsCompleted && sent < 4000)
        {
            try
            {
                for (var i = 0; i < 4; i++)
                {
                    await bad.SendAsync(RawTwilioClient.Media(sid, ++sequence));
                    sent++;
                }
            }
            catch (Exception ex) when (ex is WebSocketException or InvalidOperationException)
            {
                break;
            }

            await Task.Delay(10);
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await closed);
        await FrameLimitTests.AssertStreamEndedAndFreedAsync(host, sid);
        var snapshot = await host.SnapshotAsync(sid);
        Assert.Equal(ConnectionState.Failed, snapshot.State);
        Assert.Equal(ConnectionErrorCode.RateLimit, snapshot.Error);
        Assert.True(snapshot.RateLimited > 0, $"dropped {snapshot.RateLimited} of {snapshot.MediaReceived}");
        Assert.Equal(snapshot.RateLimited, host.Metrics.Total("switchboard.connection.messages.rate_limited"));
        Assert.Equal(1, host.Metrics.Total("switchboard.connection.ended", "error", "rate_limit"));
        Assert.Contains(host.Logs.Entries, e => e.Message.Contains($"Connection {sid} over its inbound rate limit", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Entries, e => e.Message.Contains($"Connection {sid} over its rate limit for", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Entries, e => e.EventName == "CloseRequested" && e.Message.Contains(sid, StringComparison.Ordinal)
            && e.Message.Contains("RateLimit", StringComparison.Ordinal) && e.Message.Contains("from 127.0.0.1", StringComparison.Ordinal));
        // The call alongside, at Twilio's 50 messages a second, was never throttled.
        Assert.Equal(0, (await host.SnapshotAsync(call.StreamSids[0])).RateLimited);
        call.AssertStillStreaming("after the flooding stream was closed");
        await call.AssertUnharmedAsync(output);
    }
}
