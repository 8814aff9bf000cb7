using System.Diagnostics.Metrics;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Gateway.Edge;
using Switchboard.Silo.Tests.Hosting;
using Switchboard.TestInfrastructure;
using Switchboard.TestInfrastructure.Fuzzing;

namespace Switchboard.Silo.Tests.Edge;

/// <summary>
/// The gateway's edge limits end to end, on the embedded host exactly as the run command builds it: each test abuses the
/// gateway (flood, full gateway, slow-loris, bad tokens, insecure transport) while one well-behaved simulated call
/// streams on the same gateway, and asserts the abuse is refused as documented (status, log event, counter) and the
/// call loses nothing and keeps its normal echo round trip.
/// </summary>
[Collection(EdgeCollection.Name)]
public sealed class EdgeAbuseTests
{
    private static readonly TimeSpan CallDuration = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task UpgradeFlood_FromOneClientAddress_429sWhileOtherAddressesAndTheCallAreUnharmed()
    {
        // Behind a known proxy (127.0.0.1) the limiter keys by the forwarded client: the flooder is 203.0.113.7.
        var logs = new LogCapture();
        await using var silo = await StartAsync(new()
        {
            ["Gateway:KnownProxies"] = "127.0.0.1",
            ["Gateway:UpgradeRateLimit:PerAddressPerSecond"] = "0.2",
            ["Gateway:UpgradeRateLimit:Burst"] = "5",
        }, logs);
        using var metrics = Metrics(silo);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var call = BehavingCall.Start(silo.MediaStreamUrl, CallDuration, timeout.Token);
        await call.StreamingAsync();

        var flood = new List<(HttpStatusCode Status, string? RetryAfter)>();
        for (var batch = 0; batch < 4; batch++)
        {
            flood.AddRange(await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
                EdgeClient.TryUpgradeAsync(silo.MediaStreamUrl, o => o.SetRequestHeader("X-Forwarded-For", "203.0.113.7")))));
        }

        var otherClient = await EdgeClient.TryUpgradeAsync(silo.MediaStreamUrl, o => o.SetRequestHeader("X-Forwarded-For", "198.51.100.1"));
        var summary = await call.Completion;

        var refused = flood.Count(f => f.Status == HttpStatusCode.TooManyRequests);
        Assert.True(refused >= 30, $"at most the burst (5) plus one per 5 s may pass; {refused} of 40 were refused");
        Assert.All(flood, f => Assert.True(f.Status is HttpStatusCode.TooManyRequests or HttpStatusCode.SwitchingProtocols, $"unexpected {f.Status}"));
        Assert.All(flood.Where(f => f.Status == HttpStatusCode.TooManyRequests), f => Assert.NotNull(f.RetryAfter));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, otherClient.Status);
        Assert.True(logs.Any("UpgradeRateLimited", "203.0.113.7"), "the flood's first refusal is logged with the client address");
        Assert.Equal(refused, metrics.Sum("switchboard.gateway.upgrades.rejected", "reason", "rate_limited"));
        BehavingCall.AssertUnharmed(summary);
    }

    [Fact]
    public async Task ConnectionsOverMax_503WithRetryAfterAndNotReady_WhileTheCallIsUnharmed()
    {
        var logs = new LogCapture();
        await using var silo = await StartAsync(new() { ["Gateway:MaxConnections"] = "3" }, logs);
        using var metrics = Metrics(silo);
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // Ready first (the gateway has reported to the health grain), so "not ready" below is the capacity's doing.
        await WaitForHealthAsync(http, h => h.GetProperty("ready").GetBoolean(), "ready before the test");
        var call = BehavingCall.Start(silo.MediaStreamUrl, CallDuration, timeout.Token);
        await call.StreamingAsync();

        // Two idle sockets fill the gateway (the call holds the third slot).
        using var holder1 = new ClientWebSocket();
        using var holder2 = new ClientWebSocket();
        await holder1.ConnectAsync(silo.MediaStreamUrl, timeout.Token);
        await holder2.ConnectAsync(silo.MediaStreamUrl, timeout.Token);
        var refused = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => EdgeClient.TryUpgradeAsync(silo.MediaStreamUrl)));
        var full = await ReadHealthAsync(http);
        await holder1.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        await holder2.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        var limiter = silo.Services.GetRequiredService<ConnectionLimiter>();
        await TestWait.UntilAsync(() => limiter.Held == 1, "the idle sockets gave their slots back", () => $"held {limiter.Held}");
        var freed = await WaitForHealthAsync(http, h => h.GetProperty("ready").GetBoolean(), "ready again once a slot is free");
        var summary = await call.Completion;

        Assert.All(refused, r => Assert.Equal((HttpStatusCode.ServiceUnavailable, "5"), r));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.Status);
        Assert.False(full.Body.GetProperty("ready").GetBoolean());
        Assert.True(full.Body.GetProperty("atCapacity").GetBoolean());
        Assert.False(freed.GetProperty("atCapacity").GetBoolean());
        Assert.True(logs.Any("UpgradeOverCapacity", "3 of 3"));
        Assert.Equal(5, metrics.Sum("switchboard.gateway.upgrades.rejected", "reason", "over_capacity"));
        BehavingCall.AssertUnharmed(summary);
    }

    [Fact]
    public async Task SlowLoris_TrickledUpgradeHeaders_DroppedWithinBound_WhileTheCallIsUnharmed()
    {
        var logs = new LogCapture();
        await using var silo = await StartAsync(new() { ["Gateway:Http:RequestHeadersTimeout"] = "00:00:01" }, logs);
        using var metrics = Metrics(silo);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var call = BehavingCall.Start(silo.MediaStreamUrl, CallDuration, timeout.Token);
        await call.StreamingAsync();

        const string Request = "GET /twilio/media-stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        var tricklers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => HeaderTrickler.TrickleAsync(silo.BaseAddress.Port, Request)));
        var summary = await call.Completion;

        // Kestrel checks once a second and adds that second to the deadline: a 1 s timeout fires within about 3 s.
        Assert.All(tricklers, t => Assert.True(t.Elapsed < TimeSpan.FromSeconds(8), $"a trickler was held for {t.Elapsed}"));
        Assert.All(tricklers, t => Assert.StartsWith("HTTP/1.1 408", t.Response, StringComparison.Ordinal));
        await TestWait.UntilAsync(() => metrics.Sum("switchboard.gateway.connections.dropped", "reason", "incomplete_request") == 5,
            "each trickler is counted once", () => metrics.Sum("switchboard.gateway.connections.dropped", "reason", "incomplete_request").ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(logs.Any("IncompleteRequestDropped", "127.0.0.1"));
        BehavingCall.AssertUnharmed(summary);
    }

    [Fact]
    public async Task AppStream_BadTokens401_WhileAnAppClientAndATwilioCallAreBothUnharmed()
    {
        var logs = new LogCapture();
        await using var silo = await StartAsync(new()
        {
            ["Gateway:Auth:SigningKey"] = EdgeClient.SigningKey,
            ["Gateway:Auth:Issuer"] = EdgeClient.Issuer,
            ["Gateway:Auth:Audience"] = EdgeClient.Audience,
        }, logs);
        using var metrics = Metrics(silo);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var token = EdgeClient.Token(DateTimeOffset.UtcNow.AddHours(1));
        var twilio = BehavingCall.Start(silo.MediaStreamUrl, CallDuration, timeout.Token);
        var app = BehavingCall.Start(silo.AppStreamUrl, CallDuration, timeout.Token, o => o.SetRequestHeader("Authorization", "Bearer " + token));
        await twilio.StreamingAsync();
        await app.StreamingAsync();

        var attempts = await Task.WhenAll(
            EdgeClient.TryUpgradeAsync(silo.AppStreamUrl),
            EdgeClient.TryUpgradeAsync(silo.AppStreamUrl, o => o.SetRequestHeader("Authorization", "Bearer " + EdgeClient.Token(DateTimeOffset.UtcNow.AddMinutes(-5)))),
            EdgeClient.TryUpgradeAsync(silo.AppStreamUrl, o => o.SetRequestHeader("Authorization", "Bearer " + EdgeClient.Token(DateTimeOffset.UtcNow.AddHours(1), key: "attacker-key-0123456789abcdef-0123456789abcdef-0123456789"))),
            EdgeClient.TryUpgradeAsync(silo.AppStreamUrl, o => o.SetRequestHeader("Authorization", "Bearer not.a.jwt")));
        var twilioSummary = await twilio.Completion;
        var appSummary = await app.Completion;

        Assert.All(attempts, a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.Equal(4, metrics.Sum("switchboard.gateway.upgrades.rejected", "reason", "unauthorized"));
        Assert.True(logs.Any("AuthFailure", "token expired"));
        Assert.True(logs.Any("AuthFailure", "bad signature"));
        BehavingCall.AssertUnharmed(twilioSummary);
        BehavingCall.AssertUnharmed(appSummary);
    }

    [Fact]
    public async Task ProductionPlainWs_403_WhileACallThroughTheKnownProxyIsUnharmed()
    {
        const string Token = "0123456789abcdef0123456789abcdef";
        var publicUrl = new Uri("https://voice.example.com");
        var logs = new LogCapture();
        await using var silo = await StartAsync(new()
        {
            ["TWILIO_ACCOUNT_SID"] = "AC0123456789abcdef0123456789abcdef",
            ["TWILIO_AUTH_TOKEN"] = Token,
            ["PUBLIC_URL"] = publicUrl.ToString(),
            ["Gateway:KnownProxies"] = "127.0.0.1",
        }, logs, "--environment", "Production");
        using var metrics = Metrics(silo);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // As nginx in front of a TLS terminator would: the client's scheme was https.
        var call = BehavingCall.Start(silo.MediaStreamUrl, CallDuration, timeout.Token, o => o.SetRequestHeader("X-Forwarded-Proto", "https"), Token, publicUrl);
        await call.StreamingAsync();

        var plain = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => EdgeClient.TryUpgradeAsync(silo.MediaStreamUrl)));
        var summary = await call.Completion;

        Assert.All(plain, p => Assert.Equal(HttpStatusCode.Forbidden, p.Status));
        Assert.True(logs.Any("InsecureUpgradeRefused", "127.0.0.1"));
        Assert.Equal(3, metrics.Sum("switchboard.gateway.upgrades.rejected", "reason", "insecure_transport"));
        BehavingCall.AssertUnharmed(summary);
    }

    [Fact]
    public async Task Tls_WssCallUnharmed_WhilePlainWsToTheTlsPortFails()
    {
        using var certificate = EdgeClient.SelfSignedCertificate();
        var path = Path.Combine(Path.GetTempPath(), $"switchboard-silo-test-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, "test-only"));
        try
        {
            await using var silo = await StartAsync(new()
            {
                ["Gateway:Tls:CertificatePath"] = path,
                ["Gateway:Tls:CertificatePassword"] = "test-only",
            }, new LogCapture());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var thumbprint = certificate.GetCertHashString();
            Assert.Equal("wss", silo.MediaStreamUrl.Scheme);
            var call = BehavingCall.Start(silo.MediaStreamUrl, CallDuration, timeout.Token,
                o => o.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == thumbprint);
            await call.StreamingAsync();

            var plain = await EdgeClient.TryUpgradeAsync(new Uri($"ws://{silo.BaseAddress.Authority}/twilio/media-stream"));
            var summary = await call.Completion;

            Assert.NotEqual(HttpStatusCode.SwitchingProtocols, plain.Status);
            BehavingCall.AssertUnharmed(summary);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task FuzzedMessages_EachSocketEndsWithADefinedCloseCode_WhileTheCallIsUnharmed()
    {
        await using var silo = await StartAsync([], new LogCapture());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var call = BehavingCall.Start(silo.MediaStreamUrl, CallDuration, timeout.Token);
        await call.StreamingAsync();

        var closes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => FuzzOneSocketAsync(silo.MediaStreamUrl, i, timeout.Token)));
        var summary = await call.Completion;

        // 1000 stop, 1003 binary frame, 1007 invalid UTF-8 text, 1008 policy, 1009 too big, 1011 server error.
        int?[] defined = [1000, 1003, 1007, 1008, 1009, 1011];
        Assert.All(closes, c => Assert.Contains(c.Status, defined));
        Assert.True(closes.Skip(3).Sum(c => c.Sent) > 30, "the UTF-8-valid mutations must reach the parser, not be cut off by an early close");
        BehavingCall.AssertUnharmed(summary);
    }

    /// <summary>One socket: connected, start, then 40 mutated messages (seeded by the socket index), then stop (socket 0
    /// also a binary frame before it). Sockets 0-2 send raw byte mutations (invalid UTF-8 ends them with 1007 from the
    /// WebSocket layer); sockets 3-5 keep the text valid UTF-8, so the mutations reach the parser and the grain. Reads
    /// everything the server sends meanwhile; returns the server's close status.</summary>
    private static async Task<(int? Status, int Sent)> FuzzOneSocketAsync(Uri url, int index, CancellationToken cancellationToken)
    {
        var sid = ("MZ" + index.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N"))[..34];
        // A call of its own per socket, as Twilio has: one live stream per call, so a shared callSid would refuse the rest.
        var callSid = "CA" + sid[2..];
        string[] samples =
        [
            $$$"""{"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"2","timestamp":"40","payload":"{{{Convert.ToBase64String(new byte[160])}}}"},"streamSid":"{{{sid}}}"}""",
            $$$"""{"event":"mark","sequenceNumber":"4","streamSid":"{{{sid}}}","mark":{"name":"utt-1"}}""",
            $$$"""{"event":"dtmf","streamSid":"{{{sid}}}","sequenceNumber":"5","dtmf":{"track":"inbound_track","digit":"5"}}""",
        ];
        var bytes = new ByteMutator(1000 + index);
        var json = new JsonMutator(2000 + index);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, cancellationToken);
        var closed = DrainUntilCloseAsync(socket, cancellationToken);
        await SendTextAsync(socket, """{"event":"connected","protocol":"Call","version":"1.0.0"}""", cancellationToken);
        await SendTextAsync(socket, $$$"""{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC0123456789abcdef0123456789abcdef","streamSid":"{{{sid}}}","callSid":"{{{callSid}}}","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":{}},"streamSid":"{{{sid}}}"}""", cancellationToken);
        var sent = 0;
        for (var i = 0; i < 40 && !closed.IsCompleted; i++)
        {
            var sample = samples[i % samples.Length];
            var payload = i % 2 == 0 ? bytes.Mutate(Encoding.UTF8.GetBytes(sample)) : Encoding.UTF8.GetBytes(json.Mutate(sample));
            if (index >= 3)
            {
                payload = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(payload));
            }

            if (!await TrySendAsync(socket, payload, WebSocketMessageType.Text, cancellationToken))
            {
                break;
            }

            sent++;
        }

        if (index == 0)
        {
            await TrySendAsync(socket, [1, 2, 3], WebSocketMessageType.Binary, cancellationToken);
        }

        await TrySendAsync(socket, Encoding.UTF8.GetBytes($$$"""{"event":"stop","sequenceNumber":"999","stop":{"accountSid":"AC0123456789abcdef0123456789abcdef","callSid":"{{{callSid}}}"},"streamSid":"{{{sid}}}"}"""), WebSocketMessageType.Text, cancellationToken);
        var status = await closed.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
        return (status, sent);
    }

    private static async Task<int?> DrainUntilCloseAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    try
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                    }
                    catch (WebSocketException)
                    {
                        // After a protocol error (1007) the server aborts right behind its close frame: nothing to answer.
                    }

                    return (int?)result.CloseStatus;
                }
            }
        }
        catch (WebSocketException)
        {
            // Aborted without a close frame: not a defined ending.
            return null;
        }
    }

    private static Task SendTextAsync(ClientWebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task<bool> TrySendAsync(ClientWebSocket socket, byte[] payload, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        if (socket.State != WebSocketState.Open)
        {
            return false;
        }

        try
        {
            await socket.SendAsync(payload, type, true, cancellationToken);
            return true;
        }
        catch (WebSocketException)
        {
            // The server closed meanwhile; its close frame says why.
            return false;
        }
    }

    private static Task<EmbeddedSilo> StartAsync(Dictionary<string, string?> settings, LogCapture logs, params string[] args) =>
        EmbeddedSilo.StartAsync(settings, builder => builder.Logging.AddProvider(logs), args);

    private static MetricRecorder Metrics(EmbeddedSilo silo) =>
        new(silo.Services.GetRequiredService<IMeterFactory>(), EdgeInstruments.MeterName, Switchboard.Gateway.MediaStreams.MediaStreamInstruments.MeterName);

    private static async Task<JsonElement> WaitForHealthAsync(HttpClient http, Func<JsonElement, bool> condition, string expectation)
    {
        var deadline = DateTime.UtcNow + TestWait.DefaultTimeout;
        while (true)
        {
            var (_, body) = await ReadHealthAsync(http);
            if (condition(body))
            {
                return body;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"/health never became {expectation}; last reading: {body}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadHealthAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }
}
