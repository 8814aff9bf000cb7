using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Switchboard.Gateway.Tests.TestDoubles;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// A socket's session against a real embedded silo, on what Orleans does differently from a hand-written runtime:
/// observers are held weakly (the gateway must keep its own reference for as long as the socket lives), and the
/// <c>/health</c> membership view comes from the silo the health grain lives on.
/// </summary>
public sealed class EmbeddedSessionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Echo_AfterFullGarbageCollections_StillReachesTheSocketThroughTheObserver()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        using var client = await RawTwilioClient.ConnectAsync(host.WebSocketUri);
        var (sid, callSid) = RawTwilioClient.NewIds();
        await client.SendAsync(RawTwilioClient.Start(sid, callSid));
        await Switchboard.TestInfrastructure.TestWait.UntilAsync(async () => (await host.SnapshotAsync(sid)).State == Grains.ConnectionState.Connected, "the stream is connected");

        // Orleans holds the observer weakly: without the session's own reference these would collect it, and the
        // grain's frames would stop reaching the socket silently.
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }

        // Echo answers once it has a 400-byte chunk: three 160-byte frames.
        for (var sequence = 2; sequence <= 4; sequence++)
        {
            await client.SendAsync(RawTwilioClient.Media(sid, sequence, fill: 0x42));
        }

        var echoed = await ReceiveEventAsync(client, "media");
        Assert.Equal(sid, echoed.GetProperty("streamSid").GetString());
        Assert.All(Convert.FromBase64String(echoed.GetProperty("media").GetProperty("payload").GetString()!), b => Assert.Equal(0x42, b));

        await client.SendAsync(RawTwilioClient.Stop(sid, callSid, 5));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReceiveUntilCloseAsync());
    }

    [Fact]
    public async Task Health_EmbeddedSilo_ReportsItsOwnMembershipAsTheOneActiveSilo()
    {
        // The gateway reports often enough for the cluster to turn healthy within the test (the host's default is 1 min).
        await using var host = await EmbeddedGatewayHost.StartAsync(new() { ["Gateway:HealthReportPeriod"] = "00:00:00.200" });
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var body = string.Empty;

        await Switchboard.TestInfrastructure.TestWait.UntilAsync(
            async () =>
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                body = await response.Content.ReadAsStringAsync();
                return response.StatusCode == HttpStatusCode.OK;
            },
            "/health answers 200 once the gateway and the silo have reported",
            () => body);

        using var doc = JsonDocument.Parse(body);
        var membership = doc.RootElement.GetProperty("membership");
        Assert.True(membership.GetProperty("version").GetInt64() >= 1, $"membership version {membership.GetProperty("version")}");
        var silo = Assert.Single(membership.GetProperty("silos").EnumerateArray());
        Assert.Equal("Active", silo.GetProperty("status").GetString());
        Assert.StartsWith($"S127.0.0.1:{host.SiloPort}:", silo.GetProperty("address").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ReceiveEventAsync(RawTwilioClient client, string eventName)
    {
        var buffer = new byte[16 * 1024];
        using var cts = new CancellationTokenSource(Timeout);
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var result = await client.Socket.ReceiveAsync(buffer, cts.Token);
                Assert.True(result.MessageType == WebSocketMessageType.Text, $"expected a '{eventName}' message, but the server sent {result.MessageType} {result.CloseStatus} after {string.Join(", ", seen)}");
                Assert.True(result.EndOfMessage, "a server message larger than the test's buffer");
                var message = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count)).RootElement.Clone();
                var name = message.GetProperty("event").GetString()!;
                if (name == eventName)
                {
                    return message;
                }

                seen.Add(name);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No '{eventName}' message within {Timeout}; saw: {string.Join(", ", seen)}");
        }
    }
}
