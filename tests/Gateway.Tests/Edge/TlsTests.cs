using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Gateway.Tests.TestDoubles;

namespace Switchboard.Gateway.Tests.Edge;

/// <summary>Kestrel terminating TLS itself (<c>Gateway:Tls</c>), with a self-signed certificate made in the test.</summary>
public sealed class TlsTests : IDisposable
{
    private const string Password = "test-only";
    private readonly X509Certificate2 _certificate = TestCertificate.Create();
    private readonly string _path;

    public TlsTests() => _path = TestCertificate.WritePfx(_certificate, Password);

    [Fact]
    public async Task PlainWsToTlsPort_NoUpgrade()
    {
        await using var host = await StartAsync("Development");
        using var client = new ClientWebSocket();

        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(new Uri($"ws://127.0.0.1:{host.BaseAddress.Port}/twilio/media-stream"), CancellationToken.None));

        Assert.NotEqual(WebSocketState.Open, client.State);
        Assert.Empty(host.Grains.Recorder.Calls);
    }

    [Fact]
    public async Task Wss_UntrustedCertificateRefusedByDefault()
    {
        await using var host = await StartAsync("Development");
        using var client = new ClientWebSocket();

        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(WssUri(host), CancellationToken.None));
    }

    [Fact]
    public async Task Wss_ProductionWithTlsOnly_UpgradesWithThePinnedCertificate()
    {
        await using var host = await StartAsync("Production", new() { ["TWILIO_ACCOUNT_SID"] = "AC0123456789abcdef0123456789abcdef" });
        string? seen = null;

        var outcome = await UpgradeAdmissionTests.TryUpgradeAsync(WssUri(host), signature: "/1gBfV4CTETBciRKvuziPbTiauw=", configure: options =>
            options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate?.GetCertHashString();
                return seen == _certificate.GetCertHashString();
            });

        Assert.Equal(HttpStatusCode.SwitchingProtocols, outcome.Status);
        Assert.Equal(_certificate.GetCertHashString(), seen);
        Assert.DoesNotContain(host.Logs.Entries, e => e.EventName == "InsecureUpgradeRefused");
    }

    [Fact]
    public async Task Https_HealthOverTls_Answers()
    {
        await using var host = await StartAsync("Development");
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == _certificate.GetCertHashString(),
        };
        using var http = new HttpClient(handler);

        using var response = await http.GetAsync(new Uri($"https://127.0.0.1:{host.BaseAddress.Port}/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        File.Delete(_path);
    }

    private static Uri WssUri(GatewayTestHost host) => new($"wss://127.0.0.1:{host.BaseAddress.Port}/twilio/media-stream");

    private Task<GatewayTestHost> StartAsync(string environment, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Tls:CertificatePath"] = _path,
            ["Gateway:Tls:CertificatePassword"] = Password,
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return GatewayTestHost.StartAsync(settings, signatures: true, environment: environment);
    }
}
