using System.Net.WebSockets;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Tests.TestDoubles;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// Malformed JSON, unknown events, missing fields and a wrong streamSid (README, "Limits and security"): refused, never
/// forwarded, counted and logged once per stream; the one that reaches Gateway:MaxMalformedMessages closes with 1007
/// (not valid data) or 1008 (valid JSON breaking the protocol). Each while a well-behaved call streams alongside.
/// </summary>
[Collection(CallAlongsideCollection.Name)]
public sealed class MalformedMessageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CallDuration = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task MalformedMessages_ReachingLimitWithNonJson_Close1007WhileCallAlongsideLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync(new() { ["Gateway:MaxMalformedMessages"] = "3" });
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, CallDuration);
        using var bad = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await bad.SendAsync(RawTwilioClient.Start(sid, callSid));

        await bad.SendAsync("""{"event":"hangup","streamSid":"x"}""");
        await bad.SendAsync($$$"""{"event":"media","sequenceNumber":"2","streamSid":"{{{sid}}}","media":{"track":"inbound","chunk":"1","timestamp":"20"}}""");
        await bad.SendAsync("{not json");

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await bad.ReceiveUntilCloseAsync());
        await FrameLimitTests.AssertStreamEndedAndFreedAsync(host, sid);
        Assert.Equal(0, (await host.SnapshotAsync(sid)).MediaReceived);
        Assert.Equal(1, host.Metrics.Total("switchboard.gateway.messages.malformed", "error", "unknown_event"));
        Assert.Equal(1, host.Metrics.Total("switchboard.gateway.messages.malformed", "error", "missing_field"));
        Assert.Equal(1, host.Metrics.Total("switchboard.gateway.messages.malformed", "error", "malformed_json"));
        Assert.Equal(1, host.Metrics.Total("switchboard.gateway.streams.policy_closes", "reason", MediaStreamInstruments.MalformedLimit));
        Assert.Single(host.Logs.Entries, e => e.EventName == "MalformedMessage" && e.Message.Contains(sid, StringComparison.Ordinal)
            && e.Message.Contains("from 127.0.0.1", StringComparison.Ordinal));
        Assert.Single(host.Logs.Entries, e => e.EventName == "ProtocolViolation" && e.Message.Contains("3 malformed messages (limit 3)", StringComparison.Ordinal));
        call.AssertStillStreaming("after the malformed stream was closed");
        await call.AssertUnharmedAsync(output);
    }

    [Fact]
    public async Task WrongStreamSid_MediaNamingTheCallAlongside_NeverForwardedAndClose1008AtTheDefaultLimit()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, CallDuration);
        var victim = call.StreamSids[0];
        using var bad = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await bad.SendAsync(RawTwilioClient.Start(sid, callSid));

        // Silence (0xFF) injected into the other call's stream: had it been forwarded, that call would echo bytes it never sent.
        for (var sequence = 2; sequence <= 11; sequence++)
        {
            await bad.SendAsync(RawTwilioClient.Media(victim, sequence));
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await bad.ReceiveUntilCloseAsync());
        await FrameLimitTests.AssertStreamEndedAndFreedAsync(host, sid);
        Assert.Equal(10, host.Metrics.Total("switchboard.gateway.messages.malformed", "error", "wrong_stream_sid"));
        Assert.Single(host.Logs.Entries, e => e.EventName == "MalformedMessage" && e.Message.Contains("WrongStreamSid", StringComparison.Ordinal));
        call.AssertStillStreaming("after the stream naming another was closed");
        var summary = await call.AssertUnharmedAsync(output);
        Assert.Equal(summary.MediaSent, (await host.SnapshotAsync(victim)).MediaReceived);
    }

    [Fact]
    public async Task MalformedMessages_BelowLimit_CountedLoggedOnceAndTheStreamCarriesOn()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        using var client = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await client.SendAsync(RawTwilioClient.Start(sid, callSid));

        await client.SendAsync("[1,2,3]");
        await client.SendAsync("""{"event":"media","sequenceNumber":"two"}""");
        await client.SendAsync("null");
        await client.SendAsync(RawTwilioClient.Media(sid, 2));
        await client.SendAsync(RawTwilioClient.Stop(sid, callSid, 3));

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReceiveUntilCloseAsync());
        Assert.Equal(1, (await host.SnapshotAsync(sid)).MediaReceived);
        Assert.Equal(3, host.Metrics.Total("switchboard.gateway.messages.malformed"));
        Assert.Single(host.Logs.Entries, e => e.EventName == "MalformedMessage");
        await Switchboard.TestInfrastructure.TestWait.UntilAsync(
            () => host.Logs.Entries.Any(e => e.EventName == "StreamClosed" && e.Message.Contains("malformed 3", StringComparison.Ordinal)),
            "the stream's close is logged with its malformed count");
    }
}
