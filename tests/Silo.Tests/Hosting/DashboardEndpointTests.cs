using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Switchboard.Silo.Tests.Edge;
using Switchboard.TestInfrastructure;

namespace Switchboard.Silo.Tests.Hosting;

/// <summary>
/// The Orleans dashboard of the embedded host on its own port (<c>Silo:DashboardPort</c>), behind HTTP Basic
/// authentication; the gateway's port never serves it and the dashboard's port never serves the gateway, whatever the
/// request's Host header says (a port-mapped container sees its published port there, and a client can write any).
/// </summary>
public sealed class DashboardEndpointTests(DashboardEndpointTests.Host host) : IClassFixture<DashboardEndpointTests.Host>
{
    private const string Username = "operator";
    private const string Password = "dashboard-test-password";

    [Fact]
    public async Task Root_NoAuthorization_401WithBasicChallenge()
    {
        using var response = await host.Http.GetAsync(host.Silo.DashboardAddress);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Basic", challenge.Scheme);
    }

    [Theory]
    [InlineData(Username, "wrong-password")]
    [InlineData("someone-else", Password)]
    [InlineData(Username, "")]
    [InlineData("", "")]
    public async Task Root_WrongCredentials_401(string username, string password)
    {
        using var response = await GetAsync(host.Silo.DashboardAddress, Basic(username, password));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [InlineData("Basic", "not base64 at all")]
    [InlineData("Bearer", "b3BlcmF0b3I6ZGFzaGJvYXJkLXRlc3QtcGFzc3dvcmQ=")]
    [InlineData("Basic", "b3BlcmF0b3JkYXNoYm9hcmQtdGVzdC1wYXNzd29yZA==")]
    public async Task Root_MalformedAuthorization_401(string scheme, string parameter)
    {
        using var response = await GetAsync(host.Silo.DashboardAddress, new AuthenticationHeaderValue(scheme, parameter));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("DashboardCounters")]
    [InlineData("ClusterStats")]
    [InlineData("index.min.js")]
    public async Task ApiAndAssets_NoAuthorization_401(string path)
    {
        using var response = await host.Http.GetAsync(new Uri(host.Silo.DashboardAddress, path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Root_RightCredentials_200Html()
    {
        using var response = await GetAsync(host.Silo.DashboardAddress, Basic(Username, Password));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Api_RightCredentials_200WithThisSilo()
    {
        // The dashboard collects its counters once a second: the first answers may list no host yet.
        var siloPort = host.Silo.SiloPort.ToString(CultureInfo.InvariantCulture);
        var (status, body) = (HttpStatusCode.NotFound, "none");
        await TestWait.UntilAsync(
            async () =>
            {
                using var response = await GetAsync(new Uri(host.Silo.DashboardAddress, "DashboardCounters"), Basic(Username, Password));
                (status, body) = (response.StatusCode, await response.Content.ReadAsStringAsync());
                return status != HttpStatusCode.OK || body.Contains(siloPort, StringComparison.Ordinal);
            },
            $"the dashboard's counters list the silo on port {siloPort}",
            () => $"{(int)status}: {body}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(siloPort, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_PublishedUnderAnotherHostPort_200()
    {
        // docker-compose publishes the silo's dashboard (container port 8080) as 8090: the browser's Host header then
        // names 8090, a port the process never listens on.
        using var response = await GetAsync(host.Silo.DashboardAddress, Basic(Username, Password), hostHeader: "localhost:8090");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GatewayPort_DashboardRoot_404EvenWithCredentials()
    {
        using var root = await GetAsync(host.Silo.BaseAddress, Basic(Username, Password));
        using var api = await GetAsync(new Uri(host.Silo.BaseAddress, "DashboardCounters"), Basic(Username, Password));

        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    [Fact]
    public async Task GatewayPort_HostHeaderNamingTheDashboardPort_404()
    {
        using var response = await GetAsync(host.Silo.BaseAddress, Basic(Username, Password), hostHeader: $"127.0.0.1:{host.Silo.DashboardPort}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DashboardPort_GatewayEndpoints_404WhileTheGatewayPortServesThem()
    {
        using var voiceOnGateway = await PostVoiceAsync(host.Silo.BaseAddress);
        using var healthOnGateway = await host.Http.GetAsync(new Uri(host.Silo.BaseAddress, "/health"));
        using var voice = await PostVoiceAsync(host.Silo.DashboardAddress);
        using var health = await GetAsync(new Uri(host.Silo.DashboardAddress, "/health"), Basic(Username, Password));
        var upgrade = await EdgeClient.TryUpgradeAsync(new Uri($"ws://127.0.0.1:{host.Silo.DashboardPort}/twilio/media-stream"));

        Assert.Equal(HttpStatusCode.OK, voiceOnGateway.StatusCode);
        Assert.NotEqual(HttpStatusCode.NotFound, healthOnGateway.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, voice.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, health.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, upgrade.Status);
    }

    private static AuthenticationHeaderValue Basic(string username, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));

    private async Task<HttpResponseMessage> GetAsync(Uri uri, AuthenticationHeaderValue authorization, string? hostHeader = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = authorization;
        if (hostHeader is not null)
        {
            request.Headers.Host = hostHeader;
        }

        return await host.Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostVoiceAsync(Uri baseAddress)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "/twilio/voice"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["CallSid"] = "CA0123456789abcdef0123456789abcdef",
                ["AccountSid"] = "AC0123456789abcdef0123456789abcdef",
            }),
        };
        request.Headers.Authorization = Basic(Username, Password);
        return await host.Http.SendAsync(request);
    }

    /// <summary>One embedded host with the dashboard on a free port and credentials set, shared by the class.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private EmbeddedSilo? _silo;

        internal EmbeddedSilo Silo => _silo ?? throw new InvalidOperationException("the host has not started");

        public HttpClient Http { get; } = new();

        public async Task InitializeAsync() =>
            _silo = await EmbeddedSilo.StartAsync(new Dictionary<string, string?>
            {
                ["Silo:DashboardPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["Dashboard:Username"] = Username,
                ["Dashboard:Password"] = Password,
            });

        public async Task DisposeAsync()
        {
            Http.Dispose();
            if (_silo is not null)
            {
                await _silo.DisposeAsync();
            }
        }
    }
}
