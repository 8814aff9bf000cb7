using System.Net;
using System.Net.WebSockets;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Tests.TestDoubles;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>
/// Requests refused before any upgrade (README, "Limits and security": signature, plain HTTP, Origin), each while a
/// well-behaved call streams on the same gateway. A refusal activates no grain and costs the call nothing.
/// </summary>
[Collection(CallAlongsideCollection.Name)]
public sealed class UpgradeRefusalTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CallDuration = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Upgrade_MissingOrWrongSignature_403WithoutActivationWhileCallAlongsideLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, CallDuration);
        var activations = host.ConnectionActivations;

        var missing = await RefusedUpgradeAsync(host.WebSocketUri, signature: null);
        // The https (not wss) URL's signature: what a validator behind a TLS proxy computes by mistake.
        var wrong = await RefusedUpgradeAsync(host.WebSocketUri, signature: "YK+q3e59+TdtoFF7XEIw6YrvsOU=");

        Assert.Equal(HttpStatusCode.Forbidden, missing);
        Assert.Equal(HttpStatusCode.Forbidden, wrong);
        Assert.Equal(activations, host.ConnectionActivations);
        Assert.Equal(2, host.Metrics.Total("switchboard.gateway.upgrades.rejected", "reason", MediaStreamInstruments.Signature));
        Assert.Equal(2, host.Logs.Entries.Count(e => e.EventName == "AuthFailure" && e.Message.Contains("rejected from 127.0.0.1", StringComparison.Ordinal)));
        call.AssertStillStreaming("after two refused upgrades");
        await call.AssertUnharmedAsync(output);
    }

    [Fact]
    public async Task Upgrade_PlainHttpGet_400WithoutActivationWhileCallAlongsideLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync();
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, CallDuration);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var activations = host.ConnectionActivations;

        using var response = await http.GetAsync(new Uri("/twilio/media-stream", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(activations, host.ConnectionActivations);
        Assert.Equal(1, host.Metrics.Total("switchboard.gateway.upgrades.rejected", "reason", MediaStreamInstruments.NotWebSocket));
        Assert.Single(host.Logs.Entries, e => e.EventName == "UpgradeRequired" && e.Message.Contains("from 127.0.0.1", StringComparison.Ordinal));
        call.AssertStillStreaming("after the plain GET");
        await call.AssertUnharmedAsync(output);
    }

    [Fact]
    public async Task Upgrade_OriginNotAllowed_403BeforeUpgradeEvenWithValidSignatureWhileCallAlongsideLosesNothing()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync(new() { ["Gateway:AllowedOrigins:0"] = "https://app.example.com" });
        // The call alongside sends no Origin, as Twilio does: absent Origin is allowed.
        await using var call = await CallAlongside.StartAsync(host.WebSocketUri, CallDuration);
        var activations = host.ConnectionActivations;

        var status = await RefusedUpgradeAsync(host.WebSocketUri, RawTwilioClient.ValidSignature, origin: "https://evil.example.com");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(activations, host.ConnectionActivations);
        Assert.Equal(1, host.Metrics.Total("switchboard.gateway.upgrades.rejected", "reason", MediaStreamInstruments.Origin));
        Assert.Equal(0, host.Metrics.Total("switchboard.gateway.upgrades.rejected", "reason", MediaStreamInstruments.Signature));
        Assert.Single(host.Logs.Entries, e => e.EventName == "OriginRejected" && e.Message.Contains("https://evil.example.com", StringComparison.Ordinal)
            && e.Message.Contains("from 127.0.0.1", StringComparison.Ordinal));
        call.AssertStillStreaming("after the refused origin");
        await call.AssertUnharmedAsync(output);
    }

    [Fact]
    public async Task Upgrade_AllowedOriginWithValidSignature_Upgrades()
    {
        await using var host = await EmbeddedGatewayHost.StartAsync(new() { ["Gateway:AllowedOrigins:0"] = "https://app.example.com" });
        using var client = new ClientWebSocket();
        client.Options.SetRequestHeader("X-Twilio-Signature", RawTwilioClient.ValidSignature);
        client.Options.SetRequestHeader("Origin", "https://APP.example.com:443");

        await client.ConnectAsync(host.WebSocketUri, CancellationToken.None);

        Assert.Equal(WebSocketState.Open, client.State);
        Assert.Equal(0, host.Metrics.Total("switchboard.gateway.upgrades.rejected"));
    }

    private static async Task<HttpStatusCode> RefusedUpgradeAsync(Uri uri, string? signature, string? origin = null)
    {
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        if (signature is not null)
        {
            client.Options.SetRequestHeader("X-Twilio-Signature", signature);
        }

        if (origin is not null)
        {
            client.Options.SetRequestHeader("Origin", origin);
        }

        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(uri, CancellationToken.None));
        return client.HttpStatusCode;
    }
}
