using System.Diagnostics.Metrics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Gateway.Edge;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.TestInfrastructure;

namespace Switchboard.Gateway.Tests.Edge;

/// <summary>
/// Upgrade admission on a real Kestrel (127.0.0.1) with fake grains: each refusal happens before the upgrade and before
/// any grain is touched, and is logged and counted. The behaviour of a call streaming alongside is covered end to end
/// in Silo.Tests (EdgeAbuseTests).
/// </summary>
public class UpgradeAdmissionTests
{
    // python3 HMAC-SHA1 over wss://voice.example.com/twilio/media-stream with GatewayTestHost.AuthToken (see MediaStreamEndpointTests).
    private const string UpgradeSignature = "/1gBfV4CTETBciRKvuziPbTiauw=";
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Upgrade_FloodFromOneAddress_429WithRetryAfterLoggedOnceAndCounted()
    {
        await using var host = await GatewayTestHost.StartAsync(new()
        {
            ["Gateway:UpgradeRateLimit:PerAddressPerSecond"] = "0.1",
            ["Gateway:UpgradeRateLimit:Burst"] = "3",
        }, signatures: false);
        using var metrics = Metrics(host);

        var outcomes = new List<(HttpStatusCode? Status, string? RetryAfter)>();
        for (var i = 0; i < 10; i++)
        {
            outcomes.Add(await TryUpgradeAsync(host.WebSocketUri));
        }

        Assert.Equal(3, outcomes.Count(o => o.Status == HttpStatusCode.SwitchingProtocols));
        Assert.Equal(7, outcomes.Count(o => o.Status == HttpStatusCode.TooManyRequests));
        Assert.All(outcomes.Where(o => o.Status == HttpStatusCode.TooManyRequests), o => Assert.InRange(int.Parse(o.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture), 1, 10));
        Assert.Single(host.Logs.Entries, e => e.EventName == "UpgradeRateLimited" && e.Message.Contains("127.0.0.1", StringComparison.Ordinal));
        Assert.Equal(7, metrics.Sum("switchboard.gateway.upgrades.rejected", "reason", "rate_limited"));
    }

    [Fact]
    public async Task Upgrade_FloodBehindKnownProxy_LimitedPerForwardedClientNotPerProxy()
    {
        await using var host = await GatewayTestHost.StartAsync(new()
        {
            ["Gateway:KnownProxies"] = "127.0.0.1",
            ["Gateway:UpgradeRateLimit:PerAddressPerSecond"] = "0.1",
            ["Gateway:UpgradeRateLimit:Burst"] = "1",
        }, signatures: false);

        var first = await TryUpgradeAsync(host.WebSocketUri, forwardedFor: "203.0.113.7");
        var second = await TryUpgradeAsync(host.WebSocketUri, forwardedFor: "203.0.113.7");
        var otherClient = await TryUpgradeAsync(host.WebSocketUri, forwardedFor: "198.51.100.1");

        Assert.Equal(HttpStatusCode.SwitchingProtocols, first.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, otherClient.Status);
        Assert.Contains(host.Logs.Entries, e => e.EventName == "UpgradeRateLimited" && e.Message.Contains("203.0.113.7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upgrade_OverMaxConnections_503WithRetryAfter_HealthNotReadyUntilOneCloses()
    {
        await using var host = await GatewayTestHost.StartAsync(new() { ["Gateway:MaxConnections"] = "2" }, signatures: false);
        using var metrics = Metrics(host);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var first = await OpenAsync(host.WebSocketUri);
        using var second = await OpenAsync(host.WebSocketUri);

        var refused = await TryUpgradeAsync(host.WebSocketUri);
        var (fullStatus, full) = await ReadHealthAsync(http);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("5", refused.RetryAfter);
        Assert.Contains(host.Logs.Entries, e => e.EventName == "UpgradeOverCapacity" && e.Message.Contains("2 of 2", StringComparison.Ordinal));
        Assert.Equal(1, metrics.Sum("switchboard.gateway.upgrades.rejected", "reason", "over_capacity"));
        Assert.Equal(2, metrics.Observe("switchboard.gateway.connections.held"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fullStatus);
        Assert.False(full.GetProperty("ready").GetBoolean());
        Assert.True(full.GetProperty("atCapacity").GetBoolean());
        Assert.Equal(2, full.GetProperty("maxConnections").GetInt32());

        await first.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        var limiter = host.Services.GetRequiredService<ConnectionLimiter>();
        await TestWait.UntilAsync(() => limiter.Held == 1, "the closed socket gave its slot back", () => $"held {limiter.Held}");
        var (freedStatus, freed) = await ReadHealthAsync(http);

        Assert.Equal(HttpStatusCode.OK, freedStatus);
        Assert.True(freed.GetProperty("ready").GetBoolean());
        Assert.False(freed.GetProperty("atCapacity").GetBoolean());
        Assert.Equal(HttpStatusCode.SwitchingProtocols, (await TryUpgradeAsync(host.WebSocketUri)).Status);
        Assert.DoesNotContain(host.Grains.Recorder.Calls, c => c.Method == "Start");
    }

    [Fact]
    public async Task Upgrade_ProductionPlainWsFromUnknownPeerClaimingHttps_403AndNoGrainCall()
    {
        // The listed proxy is not us: our X-Forwarded-Proto is a spoof and must be ignored.
        await using var host = await GatewayTestHost.StartAsync(ProductionSettings("10.9.9.9"), environment: "Production");
        using var metrics = Metrics(host);

        var outcome = await TryUpgradeAsync(host.WebSocketUri, signature: UpgradeSignature, forwardedProto: "https");

        Assert.Equal(HttpStatusCode.Forbidden, outcome.Status);
        Assert.Empty(host.Grains.Recorder.Calls);
        Assert.Contains(host.Logs.Entries, e => e.EventName == "InsecureUpgradeRefused" && e.Message.Contains("127.0.0.1", StringComparison.Ordinal));
        Assert.Equal(1, metrics.Sum("switchboard.gateway.upgrades.rejected", "reason", "insecure_transport"));
    }

    [Fact]
    public async Task Upgrade_ProductionKnownProxyWithoutForwardedHttps_403()
    {
        await using var host = await GatewayTestHost.StartAsync(ProductionSettings("127.0.0.1"), environment: "Production");

        var outcome = await TryUpgradeAsync(host.WebSocketUri, signature: UpgradeSignature);

        Assert.Equal(HttpStatusCode.Forbidden, outcome.Status);
        Assert.Contains(host.Logs.Entries, e => e.EventName == "InsecureUpgradeRefused");
    }

    [Fact]
    public async Task Upgrade_ProductionKnownProxyForwardingHttps_Accepted()
    {
        await using var host = await GatewayTestHost.StartAsync(ProductionSettings("127.0.0.0/8"), environment: "Production");

        var outcome = await TryUpgradeAsync(host.WebSocketUri, signature: UpgradeSignature, forwardedProto: "https", forwardedFor: "203.0.113.7");

        Assert.Equal(HttpStatusCode.SwitchingProtocols, outcome.Status);
        Assert.DoesNotContain(host.Logs.Entries, e => e.EventName == "InsecureUpgradeRefused");
    }

    [Fact]
    public async Task Upgrade_DevelopmentPlainWs_Accepted()
    {
        await using var host = await GatewayTestHost.StartAsync(signatures: false);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, (await TryUpgradeAsync(host.WebSocketUri)).Status);
    }

    internal static Dictionary<string, string?> ProductionSettings(string knownProxies) => new()
    {
        ["TWILIO_ACCOUNT_SID"] = AccountSid,
        ["Gateway:KnownProxies"] = knownProxies,
    };

    internal static MetricRecorder Metrics(GatewayTestHost host) =>
        new(host.Services.GetRequiredService<IMeterFactory>(), EdgeInstruments.MeterName, Switchboard.Gateway.MediaStreams.MediaStreamInstruments.MeterName);

    /// <summary>Tries an upgrade and closes the socket again if it opened; returns the HTTP status and Retry-After.</summary>
    internal static async Task<(HttpStatusCode? Status, string? RetryAfter)> TryUpgradeAsync(
        Uri uri, string? signature = null, string? forwardedFor = null, string? forwardedProto = null, Action<ClientWebSocketOptions>? configure = null)
    {
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        if (signature is not null)
        {
            client.Options.SetRequestHeader("X-Twilio-Signature", signature);
        }

        if (forwardedFor is not null)
        {
            client.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        }

        if (forwardedProto is not null)
        {
            client.Options.SetRequestHeader("X-Forwarded-Proto", forwardedProto);
        }

        configure?.Invoke(client.Options);
        try
        {
            await client.ConnectAsync(uri, CancellationToken.None);
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // Refused before the upgrade: the status code says why.
        }

        var retryAfter = client.HttpResponseHeaders is { } headers && headers.TryGetValue("Retry-After", out var values) ? values.FirstOrDefault() : null;
        return (client.HttpStatusCode == 0 ? null : client.HttpStatusCode, retryAfter);
    }

    private static async Task<ClientWebSocket> OpenAsync(Uri uri)
    {
        var client = new ClientWebSocket();
        await client.ConnectAsync(uri, CancellationToken.None);
        return client;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadHealthAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }
}
