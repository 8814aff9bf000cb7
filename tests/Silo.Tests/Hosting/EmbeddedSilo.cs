using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Switchboard.Silo.Hosting;
using Switchboard.TestInfrastructure;

namespace Switchboard.Silo.Tests.Hosting;

/// <summary>
/// The embedded-mode host exactly as <c>dotnet run --project src/Silo</c> builds it: the gateway on an ephemeral loopback
/// port, the Orleans silo on a free port (<see cref="FreePort"/>: tests run in parallel and Orleans' silo port cannot be
/// 0), and the dashboard off unless the settings give <c>Silo:DashboardPort</c>.
/// </summary>
internal sealed class EmbeddedSilo : IAsyncDisposable
{
    /// <summary>Bound on the host's start (Orleans joins its own membership first); the machine is shared.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly WebApplication _app;

    private EmbeddedSilo(WebApplication app, Uri baseAddress, int siloPort, int dashboardPort)
    {
        _app = app;
        BaseAddress = baseAddress;
        SiloPort = siloPort;
        DashboardPort = dashboardPort;
    }

    /// <summary>The gateway's address (http or https).</summary>
    public Uri BaseAddress { get; }

    /// <summary>Orleans' silo-to-silo port.</summary>
    public int SiloPort { get; }

    /// <summary>The dashboard's port; 0 when off.</summary>
    public int DashboardPort { get; }

    public Uri DashboardAddress => new($"http://127.0.0.1:{DashboardPort}/");

    public Uri MediaStreamUrl => new($"{(BaseAddress.Scheme == "https" ? "wss" : "ws")}://{BaseAddress.Authority}/twilio/media-stream");

    public Uri AppStreamUrl => new($"{(BaseAddress.Scheme == "https" ? "wss" : "ws")}://{BaseAddress.Authority}/app/stream");

    public IServiceProvider Services => _app.Services;

    public static Task<EmbeddedSilo> StartAsync(IDictionary<string, string?>? settings = null, params string[] args) =>
        StartAsync(settings, configure: null, args);

    /// <summary>Starts the host; <paramref name="configure"/> runs after the settings are added (extra log providers, services).</summary>
    public static async Task<EmbeddedSilo> StartAsync(IDictionary<string, string?>? settings, Action<WebApplicationBuilder>? configure, params string[] args)
    {
        var values = new Dictionary<string, string?>
        {
            ["Gateway:Port"] = "0",
            ["Gateway:BindAddress"] = "127.0.0.1",
            ["Silo:Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Silo:DashboardPort"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        // Logging is set up from the command line before `configure` runs, so its level goes in as an argument.
        string[] arguments = args.Any(a => a.StartsWith("--Logging:MinimumLevel", StringComparison.Ordinal)) ? args : ["--Logging:MinimumLevel=Warning", .. args];
        var app = SiloHost.Build(
            arguments,
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(values);
                configure?.Invoke(builder);
            });
        try
        {
            await TestWait.CompletesAsync(app.StartAsync(), "the embedded host's start", StartTimeout);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var siloPort = int.Parse(values["Silo:Port"]!, CultureInfo.InvariantCulture);
        var dashboardPort = int.Parse(values["Silo:DashboardPort"]!, CultureInfo.InvariantCulture);
        // Kestrel lists the dashboard's endpoint too when it is on: the gateway is the other one.
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var gateway = addresses.Select(a => new Uri(a)).First(a => dashboardPort == 0 || a.Port != dashboardPort);
        return new EmbeddedSilo(app, gateway, siloPort, dashboardPort);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
