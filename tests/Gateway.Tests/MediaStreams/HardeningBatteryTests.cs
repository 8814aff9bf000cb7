using System.Net;
using System.Net.WebSockets;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.TestInfrastructure;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// The whole battery of bad input, several rounds, against one embedded host (README, "Limits and security"): afterwards
/// the gateway holds no socket and no connection grain outlives the retention period. (The issue also asks for memory
/// back within 10 %: a managed-heap reading was tried here and was dominated by the buffer pools' per-thread growth,
/// 4–8 MB from run to run, so it is not asserted; see docs/security.md.)
/// </summary>
[Collection(CallAlongsideCollection.Name)]
public sealed class HardeningBatteryTests
{
    private const int Rounds = 10;
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Battery_EveryBadInputForSeveralRounds_NoSocketAndNoConnectionGrainLeftAfterTheRetention()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync(new()
        {
            ["Gateway:MaxMalformedMessages"] = "3",
            ["ConnectionGrain:RetentionPeriod"] = "00:00:01",
        });
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        for (var round = 0; round < Rounds; round++)
        {
            await RunRoundAsync(host, http);
        }

        await WaitForNothingLeftAsync(host);
        Assert.Equal(0, host.OpenStreams);
        Assert.Equal(0, host.ConnectionActivations);
    }

    private static async Task RunRoundAsync(EmbeddedGatewayHost host, HttpClient http)
    {
        // Refused before any upgrade: plain GET (400) and a wrong signature (403).
        using (var plain = await http.GetAsync(new Uri("/twilio/media-stream", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        }

        using (var unsigned = new ClientWebSocket())
        {
            unsigned.Options.SetRequestHeader("X-Twilio-Signature", "not-a-signature");
            await Assert.ThrowsAsync<WebSocketException>(() => unsigned.ConnectAsync(host.WebSocketUri, CancellationToken.None));
        }

        await BadStreamAsync(host, WebSocketCloseStatus.InvalidMessageType, (client, _) => client.SendBinaryAsync([1, 2, 3]));
        await BadStreamAsync(host, WebSocketCloseStatus.MessageTooBig, (client, sid) => client.SendAsync(RawTwilioClient.Media(sid, 2, payloadBase64: new string('A', 70_000))));
        await BadStreamAsync(host, WebSocketCloseStatus.InvalidPayloadData, async (client, _) =>
        {
            for (var i = 0; i < 3; i++)
            {
                await client.SendAsync("{not json");
            }
        });

        // Accepted but odd: media before start (buffered), a second start, invalid base64, a sequence gap, then stop.
        using var odd = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await odd.SendAsync(RawTwilioClient.Media(sid, 2));
        await odd.SendAsync(RawTwilioClient.Start(sid, callSid));
        await odd.SendAsync(RawTwilioClient.Start(sid, callSid, sequence: 3));
        await odd.SendAsync(RawTwilioClient.Media(sid, 4, payloadBase64: "!!not base64!!"));
        await odd.SendAsync(RawTwilioClient.Media(sid, 9));
        await odd.SendAsync(RawTwilioClient.Stop(sid, callSid, 10));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await odd.ReceiveUntilCloseAsync());
    }

    private static async Task BadStreamAsync(EmbeddedGatewayHost host, WebSocketCloseStatus expected, Func<RawTwilioClient, string, Task> misbehave)
    {
        using var client = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await client.SendAsync(RawTwilioClient.Start(sid, callSid));
        await client.SendAsync(RawTwilioClient.Media(sid, 2));
        await misbehave(client, sid);
        Assert.Equal(expected, await client.ReceiveUntilCloseAsync());
    }

    // Sockets close at once; each connection grain deactivates when its retention (1 s here) has run out after the end.
    private static Task WaitForNothingLeftAsync(EmbeddedGatewayHost host)
        => TestWait.UntilAsync(
            () => host.OpenStreams == 0 && host.ConnectionActivations == 0,
            "no socket held and no connection grain left",
            () => $"{host.OpenStreams} sockets, {host.ConnectionActivations} connection grains",
            Retention + TimeSpan.FromSeconds(30));
}
