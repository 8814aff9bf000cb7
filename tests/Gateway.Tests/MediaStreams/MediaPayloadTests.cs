using System.Net.WebSockets;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Tests.TestDoubles;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// A <c>media</c> payload that is not base64, empty, or over Gateway:MaxMediaPayloadBytes (README, "Limits and
/// security"): dropped at the gateway, counted by reason, logged once per stream, never forwarded, and not counted as
/// malformed (the stream is not closed for it). While a well-behaved call streams alongside.
/// </summary>
[Collection(CallAlongsideCollection.Name)]
public sealed class MediaPayloadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task MediaWithNonCanonicalBase64_DroppedAsInvalidBase64NeverForwardedWhileCallAlongsideLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, TimeSpan.FromSeconds(4));
        using var bad = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await bad.SendAsync(RawTwilioClient.Start(sid, callSid));
        var canonical = Twilio.CanonicalBase64Tests.Canonical();
        string[] variants =
        [
            canonical.Insert(100, " "),
            canonical.Insert(76, "\\n"), // JSON-escaped: the payload string holds a line break
            canonical.Replace('+', '-').Replace('/', '_'),
            canonical.TrimEnd('='),
        ];

        await bad.SendAsync(RawTwilioClient.Media(sid, 2, payloadBase64: canonical));
        for (var i = 0; i < variants.Length; i++)
        {
            await bad.SendAsync(RawTwilioClient.Media(sid, 3 + i, payloadBase64: variants[i]));
        }

        await bad.SendAsync(RawTwilioClient.Stop(sid, callSid, 3 + variants.Length));

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await bad.ReceiveUntilCloseAsync());
        var snapshot = await host.SnapshotAsync(sid);
        Assert.Equal(1, snapshot.MediaReceived);
        Assert.Equal(variants.Length, host.Metrics.Total("switchboard.gateway.media.dropped", "reason", MediaStreamInstruments.InvalidBase64));
        Assert.Equal(0, host.Metrics.Total("switchboard.gateway.messages.malformed"));
        Assert.Single(host.Logs.Entries, e => e.EventName == "MediaDropped" && e.Message.Contains(sid, StringComparison.Ordinal)
            && e.Message.Contains("canonical standard base64", StringComparison.Ordinal));
        call.AssertStillStreaming("after the stream with non-canonical payloads ended");
        await call.AssertUnharmedAsync(output);
    }

    [Fact]
    public async Task MediaWithInvalidBase64EmptyOrOversizedPayload_DroppedCountedNeverForwardedWhileCallAlongsideLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, TimeSpan.FromSeconds(4));
        using var bad = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await bad.SendAsync(RawTwilioClient.Start(sid, callSid));

        await bad.SendAsync(RawTwilioClient.Media(sid, 2));
        await bad.SendAsync(RawTwilioClient.Media(sid, 3, payloadBase64: "not*base64!"));
        await bad.SendAsync(RawTwilioClient.Media(sid, 4, payloadBase64: string.Empty));
        await bad.SendAsync(RawTwilioClient.Media(sid, 5, payloadBase64: Convert.ToBase64String(new byte[1601])));
        for (var sequence = 6; sequence <= 20; sequence++)
        {
            await bad.SendAsync(RawTwilioClient.Media(sid, sequence, payloadBase64: "%%%%"));
        }

        await bad.SendAsync(RawTwilioClient.Media(sid, 21, payloadBase64: Convert.ToBase64String(new byte[1600])));
        await bad.SendAsync(RawTwilioClient.Stop(sid, callSid, 22));

        // 18 bad payloads, over the default malformed limit of 10, and still a normal end: they are not malformed messages.
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await bad.ReceiveUntilCloseAsync());
        var snapshot = await host.SnapshotAsync(sid);
        Assert.Equal(2, snapshot.MediaReceived);
        Assert.Equal(16, host.Metrics.Total("switchboard.gateway.media.dropped", "reason", MediaStreamInstruments.InvalidBase64));
        Assert.Equal(2, host.Metrics.Total("switchboard.gateway.media.dropped", "reason", MediaStreamInstruments.PayloadSize));
        Assert.Equal(0, host.Metrics.Total("switchboard.gateway.messages.malformed"));
        Assert.Single(host.Logs.Entries, e => e.EventName == "MediaDropped" && e.Message.Contains(sid, StringComparison.Ordinal)
            && e.Message.Contains("from 127.0.0.1", StringComparison.Ordinal));
        call.AssertStillStreaming("after the stream with bad payloads ended");
        await call.AssertUnharmedAsync(output);
    }
}
