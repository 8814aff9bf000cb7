using System.Net.WebSockets;
using System.Text;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// Frames the gateway refuses outright (README, "Limits and security"): a binary frame closes with 1003, a text message
/// over Gateway:MaxMessageBytes with 1009. Each while a well-behaved call streams on the same gateway; the offending
/// stream's grain ends and the socket is freed.
/// </summary>
[Collection(CallAlongsideCollection.Name)]
public sealed class FrameLimitTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CallDuration = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task BinaryFrame_Closes1003AndEndsItsStreamWhileCallAlongsideLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, CallDuration);
        using var bad = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await bad.SendAsync(RawTwilioClient.Start(sid, callSid));
        await bad.SendAsync(RawTwilioClient.Media(sid, 2));

        await bad.SendBinaryAsync([0xFF, 0xFE, 0xFD]);

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await bad.ReceiveUntilCloseAsync());
        await AssertStreamEndedAndFreedAsync(host, sid);
        Assert.Equal(1, host.Metrics.Total("switchboard.gateway.streams.policy_closes", "reason", MediaStreamInstruments.BinaryFrame));
        Assert.Single(host.Logs.Entries, e => e.EventName == "ProtocolViolation" && e.Message.Contains(sid, StringComparison.Ordinal)
            && e.Message.Contains("from 127.0.0.1", StringComparison.Ordinal) && e.Message.Contains("binary frame", StringComparison.Ordinal));
        call.AssertStillStreaming("after the binary frame's stream ended");
        await call.AssertUnharmedAsync(output);
    }

    [Fact]
    public async Task TextMessageOverDefaultLimit_Closes1009AndEndsItsStreamWhileCallAlongsideLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, CallDuration);
        using var bad = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await bad.SendAsync(RawTwilioClient.Start(sid, callSid));

        // 64 KiB + 1 byte: one over the default Gateway:MaxMessageBytes, sent in several frames as a client may.
        var oversized = Encoding.UTF8.GetBytes(new string(' ', (64 * 1024) + 1));
        for (var offset = 0; offset < oversized.Length; offset += 16 * 1024)
        {
            var count = Math.Min(16 * 1024, oversized.Length - offset);
            await bad.Socket.SendAsync(oversized.AsMemory(offset, count), WebSocketMessageType.Text, offset + count == oversized.Length, CancellationToken.None);
        }

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await bad.ReceiveUntilCloseAsync());
        await AssertStreamEndedAndFreedAsync(host, sid);
        Assert.Equal(1, host.Metrics.Total("switchboard.gateway.streams.policy_closes", "reason", MediaStreamInstruments.MessageTooBig));
        Assert.Single(host.Logs.Entries, e => e.EventName == "ProtocolViolation" && e.Message.Contains("larger than 65536 bytes", StringComparison.Ordinal));
        call.AssertStillStreaming("after the oversized message's stream ended");
        await call.AssertUnharmedAsync(output);
    }

    [Fact]
    public async Task TextMessageAtDefaultLimit_Accepted()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        using var client = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await client.SendAsync(RawTwilioClient.Start(sid, callSid));
        // Exactly 64 KiB of JSON: a media message whose payload is padded with spaces after the object.
        var media = RawTwilioClient.Media(sid, 2);
        await client.SendAsync(media + new string(' ', (64 * 1024) - Encoding.UTF8.GetByteCount(media)));
        await client.SendAsync(RawTwilioClient.Stop(sid, callSid, 3));

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReceiveUntilCloseAsync());
        var snapshot = await host.SnapshotAsync(sid);
        Assert.Equal(1, snapshot.MediaReceived);
        Assert.Equal(0, host.Metrics.Total("switchboard.gateway.streams.policy_closes"));
    }

    internal static async Task AssertStreamEndedAndFreedAsync(EmbeddedGatewayHost host, string streamSid, int openAlongside = 1)
    {
        ConnectionSnapshot? snapshot = null;
        await TestWait.UntilAsync(
            async () =>
            {
                snapshot = await host.SnapshotAsync(streamSid);
                return host.OpenStreams == openAlongside && snapshot.State is ConnectionState.Disconnected or ConnectionState.Failed;
            },
            $"the stream {streamSid} ended and its socket was freed",
            () => $"open streams {host.OpenStreams} (expected {openAlongside}), grain state {snapshot?.State}; log: "
                + string.Join(" | ", host.Logs.Entries.Where(e => e.Message.Contains(streamSid, StringComparison.Ordinal)).Select(e => $"{e.EventName}: {e.Message}")));
    }
}
