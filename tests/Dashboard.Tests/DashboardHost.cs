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
        var app = SiloHost.Build(
            [],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:MinimumLevel"] = "Warning",
                ["Gateway:Port"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
                ["Gateway:BindAddress"] = "127.0.0.1",
                ["Silo:Port"] = siloPort.ToString(CultureInfo.InvariantCulture),
                ["Silo:DashboardPort"] = dashboardPort.ToString(CultureInfo.InvariantCulture),
                ["Silo:SiloName"] = SiloName,
                ["Dashboard:Username"] = Username,
                ["Dashboard:Password"] = Password,
            }));
        await app.StartOrDisposeAsync("the embedded host's start");
        return new DashboardHost(app, gatewayPort, siloPort, dashboardPort);
    }

    public async ValueTask DisposeAsync() => await _app.StopAndDisposeAsync();
}
