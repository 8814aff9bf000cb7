using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Gateway.AppStreams;
using Switchboard.Gateway.Tests.Edge;
using Switchboard.Gateway.Tests.Security;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;
using Switchboard.TestInfrastructure;

namespace Switchboard.Gateway.Tests.AppStreams;

/// <summary>
/// <c>/app/stream</c> on a real Kestrel with fake grains and a fake clock (token lifetimes are decided on it): 401 before
/// any upgrade, connection grains keyed by subject, and a token expiring mid-call closes the socket with 4401.
/// </summary>
public class AppStreamEndpointTests
{
    private const string Sid = "MZ18ad3ab5a668481ce02b83e7395059f0";
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Upgrade_AuthNotConfigured_404()
    {
        await using var host = await GatewayTestHost.StartAsync(signatures: false);

        var outcome = await UpgradeAdmissionTests.TryUpgradeAsync(AppUri(host), configure: Bearer(TestTokens.Create(Now.AddHours(1))));

        Assert.Equal(HttpStatusCode.NotFound, outcome.Status);
    }

    [Fact]
    public async Task Upgrade_NoToken_401WithBearerChallenge_LoggedCountedAndNoGrainCall()
    {
        var (host, _) = await StartAsync();
        await using (host)
        {
            using var metrics = UpgradeAdmissionTests.Metrics(host);
            using var client = new ClientWebSocket();
            client.Options.CollectHttpResponseDetails = true;

            await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(AppUri(host), CancellationToken.None));

            Assert.Equal(HttpStatusCode.Unauthorized, client.HttpStatusCode);
            Assert.Equal("Bearer", client.HttpResponseHeaders!["WWW-Authenticate"].Single());
            Assert.Empty(host.Grains.Recorder.Calls);
            Assert.Contains(host.Logs.Entries, e => e.EventName == "AuthFailure" && e.Message.Contains("app-stream", StringComparison.Ordinal)
                && e.Message.Contains("missing bearer token", StringComparison.Ordinal) && e.Message.Contains("127.0.0.1", StringComparison.Ordinal));
            Assert.Equal(1, metrics.Sum("switchboard.gateway.upgrades.rejected", "reason", "unauthorized"));
        }
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("wrong-audience")]
    [InlineData("not-bearer")]
    public async Task Upgrade_InvalidToken_401InvalidToken_NoGrainCall(string kind)
    {
        var (host, _) = await StartAsync();
        await using (host)
        {
            using var client = new ClientWebSocket();
            client.Options.CollectHttpResponseDetails = true;
            client.Options.SetRequestHeader("Authorization", kind switch
            {
                "expired" => "Bearer " + TestTokens.Create(Now.AddSeconds(-1)),
                "wrong-audience" => "Bearer " + TestTokens.Create(Now.AddHours(1), audience: "other"),
                _ => "Basic dXNlcjpwYXNz",
            });

            await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(AppUri(host), CancellationToken.None));

            Assert.Equal(HttpStatusCode.Unauthorized, client.HttpStatusCode);
            Assert.Equal("Bearer error=\"invalid_token\"", client.HttpResponseHeaders!["WWW-Authenticate"].Single());
            Assert.Empty(host.Grains.Recorder.Calls);
        }
    }

    [Fact]
    public async Task ValidBearerHeader_StreamsToGrainKeyedBySubject_NotTheTwilioKey()
    {
        var (host, _) = await StartAsync();
        await using (host)
        {
            using var client = new ClientWebSocket();
            Bearer(TestTokens.Create(Now.AddHours(1), subject: "agent-7"))(client.Options);
            await client.ConnectAsync(AppUri(host), CancellationToken.None);

            await SendAsync(client, Start());
            await SendAsync(client, Media(2));
            await SendAsync(client, Stop());
            await host.Grains.Recorder.WaitForAsync("Stop", Timeout);
            // As the real grain does once it has flushed its audio.
            await host.Grains.Connection(AppGrainKeys.KeyOf("agent-7", Sid)).Observer!.Deliver(new OutboundBatch(1, 1, [], new CloseInstruction(1000, "stream stopped", ConnectionErrorCode.None)));

            Assert.Equal(WebSocketCloseStatus.NormalClosure, await ReceiveCloseAsync(client));
            await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            await host.Grains.Recorder.WaitForAsync("DeleteObjectReference", Timeout);
            Assert.Contains(host.Grains.Recorder.Calls, c => c.Method == "GetGrain:IConnectionGrain" && Equals(c.Argument, AppGrainKeys.KeyOf("agent-7", Sid)));
            Assert.DoesNotContain(host.Grains.Recorder.Calls, c => c.Method == "GetGrain:IConnectionGrain" && Equals(c.Argument, Sid));
            Assert.Single(host.Grains.Recorder.Calls, c => c.Method == "Media");
            Assert.Contains(host.Logs.Entries, e => e.EventName == "AppStreamAuthenticated" && e.Message.Contains("agent-7", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task LongLivedToken_BeyondTheTimerRange_AcceptedAndClosedOnlyAtItsExpiry()
    {
        var (host, time) = await StartAsync();
        await using (host)
        {
            using var metrics = UpgradeAdmissionTests.Metrics(host);
            using var client = new ClientWebSocket();
            Bearer(TestTokens.Create(Now.AddDays(100), notBefore: Now))(client.Options);
            await client.ConnectAsync(AppUri(host), CancellationToken.None);
            var receiving = client.ReceiveAsync(new byte[1024], CancellationToken.None);
            // The client's connect returns on the 101, before the server arms the expiry timer; the session logs its
            // opening after that timer exists, so advancing from here crosses its 30-day re-arms instead of creating it late.
            await TestWait.UntilAsync(
                () => host.Logs.Entries.Any(e => e.EventName == "StreamOpened"),
                "the app stream's session opened (its expiry timer armed on the fake clock)",
                () => string.Join(", ", host.Logs.Entries.Select(e => e.EventName)));

            // The fake clock runs due timer callbacks inside Advance: an early expiry would have logged and counted by
            // the time it returns (its close frame follows asynchronously), so there is nothing to wait for.
            time.Advance(TimeSpan.FromDays(99));
            Assert.DoesNotContain(host.Logs.Entries, e => e.EventName == "AppTokenExpired");
            Assert.Equal(0, metrics.Sum("switchboard.gateway.connections.dropped", "reason", "token_expired"));
            Assert.False(receiving.IsCompleted, "the connection must stay open until the token's expiry");
            time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
            var result = await receiving.WaitAsync(Timeout);

            Assert.Equal((WebSocketCloseStatus)AppStreamHandler.TokenExpiredCloseStatus, result.CloseStatus);
            await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
    }

    [Fact]
    public async Task LongLivedToken_OnTheSystemClock_Accepted()
    {
        // A system timer cannot be set a year ahead: the session must still run (and answer a clean close).
        await using var host = await GatewayTestHost.StartAsync(TestTokens.Settings(), signatures: false);
        using var client = new ClientWebSocket();
        Bearer(TestTokens.Create(DateTimeOffset.UtcNow.AddDays(365), notBefore: DateTimeOffset.UtcNow.AddMinutes(-1)))(client.Options);
        await client.ConnectAsync(AppUri(host), CancellationToken.None);

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, new CancellationTokenSource(Timeout).Token);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task ValidTokenInQueryString_Accepted()
    {
        var (host, _) = await StartAsync();
        await using (host)
        {
            var token = TestTokens.Create(Now.AddHours(1));

            var outcome = await UpgradeAdmissionTests.TryUpgradeAsync(new Uri(AppUri(host) + "?access_token=" + Uri.EscapeDataString(token)));

            Assert.Equal(HttpStatusCode.SwitchingProtocols, outcome.Status);
        }
    }

    [Fact]
    public async Task TokenExpiresDuringCall_ClosedWith4401_NothingForwardedAfter_GrainToldAndReconnectRefused()
    {
        var (host, time) = await StartAsync();
        await using (host)
        {
            using var metrics = UpgradeAdmissionTests.Metrics(host);
            var token = TestTokens.Create(Now.AddMinutes(1));
            using var client = new ClientWebSocket();
            Bearer(token)(client.Options);
            await client.ConnectAsync(AppUri(host), CancellationToken.None);
            await SendAsync(client, Start());
            await SendAsync(client, Media(2));
            await TestWait.UntilAsync(() => host.Grains.Recorder.Calls.Any(c => c.Method == "Media"), "media before expiry reached the grain");

            time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
            var buffer = new byte[4096];
            using var cts = new CancellationTokenSource(Timeout);
            var result = await client.ReceiveAsync(buffer, cts.Token);

            Assert.Equal(WebSocketMessageType.Close, result.MessageType);
            Assert.Equal((WebSocketCloseStatus)AppStreamHandler.TokenExpiredCloseStatus, result.CloseStatus);
            Assert.Contains("AUTH_FAILURE", result.CloseStatusDescription, StringComparison.Ordinal);

            // A frame sent after the server's close is dropped, not forwarded on an expired token.
            await SendAsync(client, Media(3));
            await client.CloseOutputAsync((WebSocketCloseStatus)AppStreamHandler.TokenExpiredCloseStatus, null, CancellationToken.None);
            var closed = await host.Grains.Recorder.WaitForAsync("SocketClosed", Timeout);

            Assert.Equal(AppStreamHandler.TokenExpiredCloseStatus, Assert.IsType<SocketClosure>(closed.Argument).CloseStatus);
            Assert.Single(host.Grains.Recorder.Calls, c => c.Method == "Media");
            Assert.Contains(host.Logs.Entries, e => e.EventName == "AppTokenExpired" && e.Message.Contains(Sid, StringComparison.Ordinal) && e.Message.Contains("4401", StringComparison.Ordinal));
            Assert.Equal(1, metrics.Sum("switchboard.gateway.connections.dropped", "reason", "token_expired"));

            // Every reconnect is validated again: the same token is refused now.
            var again = await UpgradeAdmissionTests.TryUpgradeAsync(AppUri(host), configure: Bearer(token));
            Assert.Equal(HttpStatusCode.Unauthorized, again.Status);
            await host.Grains.Recorder.WaitForAsync("DeleteObjectReference", Timeout);
        }
    }

    private static async Task<(GatewayTestHost Host, FakeTimeProvider Time)> StartAsync()
    {
        var time = new FakeTimeProvider(Now);
        var host = await GatewayTestHost.StartAsync(TestTokens.Settings(), signatures: false, configureServices: services => services.AddSingleton<TimeProvider>(time));
        return (host, time);
    }

    private static Uri AppUri(GatewayTestHost host) => new($"ws://{host.BaseAddress.Authority}{AppStreamHandler.Path}");

    private static Action<ClientWebSocketOptions> Bearer(string token) => options => options.SetRequestHeader("Authorization", "Bearer " + token);

    private static Task SendAsync(ClientWebSocket client, string json) =>
        client.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<WebSocketCloseStatus?> ReceiveCloseAsync(ClientWebSocket client)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result.CloseStatus;
            }
        }
    }

    private static string Start() => $$$"""
        {"event":"start","sequenceNumber":"1",
         "start":{"accountSid":"AC0123456789abcdef0123456789abcdef","streamSid":"{{{Sid}}}",
                  "callSid":"CA9f2c1e0d3b4a59687f0e1d2c3b4a5968","tracks":["inbound"],
                  "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":{}},
         "streamSid":"{{{Sid}}}"}
        """;

    private static string Media(int sequence) => $$$"""
        {"event":"media","sequenceNumber":"{{{sequence}}}","media":{"track":"inbound","chunk":"{{{sequence - 1}}}","timestamp":"{{{sequence * 20}}}","payload":"//////////8="},"streamSid":"{{{Sid}}}"}
        """;

    private static string Stop() => $$$"""
        {"event":"stop","sequenceNumber":"912","stop":{"accountSid":"AC0123456789abcdef0123456789abcdef","callSid":"CA9f2c1e0d3b4a59687f0e1d2c3b4a5968"},"streamSid":"{{{Sid}}}"}
        """;
}
