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
/// 0), the dashboard off unless the settings give <c>Silo:DashboardPort</c>, and Serilog's console output at Warning;
/// <c>settings</c> override each of these (command-line <c>args</c> do not: the settings are added after them).
/// </summary>
internal sealed class EmbeddedSilo : IAsyncDisposable
{
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
            ["Logging:MinimumLevel"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var app = SiloHost.Build(
            args,
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(values);
                configure?.Invoke(builder);
            });
        await app.StartOrDisposeAsync("the embedded host's start");

        var siloPort = int.Parse(values["Silo:Port"]!, CultureInfo.InvariantCulture);
        var dashboardPort = int.Parse(values["Silo:DashboardPort"]!, CultureInfo.InvariantCulture);
        // Kestrel lists the dashboard's endpoint too when it is on: the gateway is the other one.
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var gateway = addresses.Select(a => new Uri(a)).First(a => dashboardPort == 0 || a.Port != dashboardPort);
        return new EmbeddedSilo(app, gateway, siloPort, dashboardPort);
    }

    public async ValueTask DisposeAsync() => await _app.StopAndDisposeAsync();
}
