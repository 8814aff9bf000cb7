using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Switchboard.Silo.Hosting;
using Switchboard.TestInfrastructure;

namespace Switchboard.Dashboard.Tests;

/// <summary>
/// The embedded-mode host as <c>dotnet run --project src/Silo</c> builds it (<see cref="SiloHost.Build"/>), in-process,
/// with every port free and known up front: the gateway, Orleans' silo port and the dashboard, the dashboard behind
/// Basic authentication with <see cref="Username"/> and <see cref="Password"/>.
/// </summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    public const string Username = "operator";

    public const string Password = "dashboard-e2e-secret";

    /// <summary>The silo's name in membership, and so on the dashboard's Silos view.</summary>
    public const string SiloName = "dashboard-e2e-silo";

    private readonly WebApplication _app;

    private DashboardHost(WebApplication app, int gatewayPort, int siloPort, int dashboardPort)
    {
        _app = app;
        GatewayPort = gatewayPort;
        SiloPort = siloPort;
        DashboardPort = dashboardPort;
    }

    public int GatewayPort { get; }

    public int SiloPort { get; }

    public int DashboardPort { get; }

    public Uri GatewayAddress => new($"http://127.0.0.1:{GatewayPort}/");

    public Uri MediaStreamUrl => new($"ws://127.0.0.1:{GatewayPort}/twilio/media-stream");

    public Uri DashboardAddress => new($"http://127.0.0.1:{DashboardPort}/");

    public static async Task<DashboardHost> StartAsync()
    {
        int gatewayPort = FreePort.Next(), siloPort = FreePort.Next(), dashboardPort = FreePort.Next();
        // Logging is set up from the command line before `configure` runs, so its level goes in as an argument.
        var app = SiloHost.Build(
            ["--Logging:MinimumLevel=Warning"],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:Port"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
                ["Gateway:BindAddress"] = "127.0.0.1",
                ["Silo:Port"] = siloPort.ToString(CultureInfo.InvariantCulture),
                ["Silo:DashboardPort"] = dashboardPort.ToString(CultureInfo.InvariantCulture),
                ["Silo:SiloName"] = SiloName,
                ["Dashboard:Username"] = Username,
                ["Dashboard:Password"] = Password,
            }));
        try
        {
            await TestWait.CompletesAsync(app.StartAsync(), "the embedded host's start", TimeSpan.FromSeconds(60));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new DashboardHost(app, gatewayPort, siloPort, dashboardPort);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
