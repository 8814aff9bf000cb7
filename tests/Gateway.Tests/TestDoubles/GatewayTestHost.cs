using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Gateway.Edge;
using Switchboard.TestInfrastructure;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>A real Kestrel on 127.0.0.1:0 hosting the gateway the way the silo does, with a fake grain factory.</summary>
internal sealed class GatewayTestHost : IAsyncDisposable
{
    public const string AuthToken = "0123456789abcdef0123456789abcdef";
    public const string PublicUrl = "https://voice.example.com";

    private readonly WebApplication _app;

    private GatewayTestHost(WebApplication app, FakeGrainFactory grains, CapturingLoggerProvider logs, Uri baseAddress)
    {
        _app = app;
        Grains = grains;
        Logs = logs;
        BaseAddress = baseAddress;
    }

    public FakeGrainFactory Grains { get; }

    public CapturingLoggerProvider Logs { get; }

    public Uri BaseAddress { get; }

    /// <summary>The host's services (drain state, tracker).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Stops the host as SIGTERM would (graceful: drain, then close).</summary>
    public Task StopAsync() => _app.StopAsync();

    public Uri WebSocketUri => new($"ws://{BaseAddress.Authority}/twilio/media-stream");

    /// <summary>Starts a host; by default signatures are on (token + public URL behind a proxy).</summary>
    /// <param name="settings">Configuration overrides.</param>
    /// <param name="signatures">Whether Twilio signatures are on.</param>
    /// <param name="environment">Host environment.</param>
    /// <param name="configureServices">Runs before the gateway's registrations (e.g. a fake <see cref="TimeProvider"/> wins over the default).</param>
    public static async Task<GatewayTestHost> StartAsync(
        Dictionary<string, string?>? settings = null,
        bool signatures = true,
        string environment = "Development",
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenGateway(IPAddress.Loopback, 0));
        var config = new Dictionary<string, string?>
        {
            ["Gateway:HealthReportPeriod"] = "00:01:00",
        };
        if (signatures)
        {
            config["TWILIO_AUTH_TOKEN"] = AuthToken;
            config["PUBLIC_URL"] = PublicUrl;
        }

        foreach (var (key, value) in settings ?? [])
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        var grains = new FakeGrainFactory();
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<IGrainFactory>(grains);
        configureServices?.Invoke(builder.Services);
        builder.Services.AddSwitchboardGateway(builder.Configuration);

        var app = builder.Build();
        app.UseSwitchboardGateway();
        app.MapSwitchboardGateway();
        await app.StartOrDisposeAsync("the gateway test host's start");
        var address = new Uri(app.Urls.First());
        return new GatewayTestHost(app, grains, logs, address);
    }

    public async ValueTask DisposeAsync() => await _app.StopAndDisposeAsync();
}
