using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Grains;
using Switchboard.Grains.Connection;
using Switchboard.Silo.Hosting;
using Switchboard.TestInfrastructure;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>
/// Embedded mode as <c>src/Silo</c> runs it (an Orleans silo configured by <see cref="SiloConfiguration.Configure"/>:
/// localhost clustering, in-memory checkpoints, the connection and health grains, the Echo application; and the gateway
/// in the same process), on a real Kestrel at 127.0.0.1:0, with signatures on (the same token and public URL as
/// <see cref="GatewayTestHost"/>), every log entry captured and the gateway's, grains' and runtime's metrics recorded.
/// </summary>
/// <remarks>Built like <see cref="SiloHost.Build"/> but on the slim builder and without its Serilog console logging (a
/// test captures log entries instead): each host gets its own silo port (<see cref="FreePort"/>, tests run in parallel),
/// its own cluster id, and no dashboard.</remarks>
internal sealed class EmbeddedGatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedGatewayHost(WebApplication app, CapturingLoggerProvider logs, MeterRecorder metrics, Uri baseAddress)
    {
        _app = app;
        Logs = logs;
        Metrics = metrics;
        BaseAddress = baseAddress;
    }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>Meters <c>Switchboard.Gateway</c>, <c>Switchboard.Connection</c> and <c>Switchboard.Runtime</c> of this host only.</summary>
    public MeterRecorder Metrics { get; }

    public Uri BaseAddress { get; }

    /// <summary>The silo's port (<c>Silo:Port</c>, free when the host started).</summary>
    public int SiloPort => _app.Configuration.GetValue<int>("Silo:Port");

    public Uri WebSocketUri => new($"ws://{BaseAddress.Authority}/twilio/media-stream");

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Live connection-grain activations.</summary>
    public int ConnectionActivations => _app.Services.GetRequiredService<ConnectionInstruments>().LiveActivations;

    /// <summary>Sockets the gateway holds now.</summary>
    public int OpenStreams => _app.Services.GetRequiredService<MediaStreamTracker>().OpenStreams;

    public Task<ConnectionSnapshot> SnapshotAsync(string streamSid) => Grains.GetGrain<IConnectionGrain>(streamSid).GetSnapshot();

    /// <summary>Starts a host; <paramref name="settings"/> override configuration keys, <paramref name="configureServices"/>
    /// runs after the grains are registered (e.g. to register another call application). <paramref name="socketSendBufferBytes"/>
    /// fixes the kernel send buffer of every accepted connection (Linux copies it from the listening socket): loopback's
    /// autotuned buffers hold megabytes, so a test of a client that stops reading would take minutes to fill them.</summary>
    public static async Task<EmbeddedGatewayHost> StartAsync(
        Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        int? socketSendBufferBytes = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        if (socketSendBufferBytes is { } sendBuffer)
        {
            builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endpoint =>
            {
                var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                socket.SendBufferSize = sendBuffer;
                return socket;
            });
        }

        var config = new Dictionary<string, string?>
        {
            ["Gateway:HealthReportPeriod"] = "00:01:00",
            // Disposing the host drains it: a socket a test left open must not hold it for the default 30 s.
            ["Gateway:DrainTimeout"] = "00:00:02",
            ["TWILIO_AUTH_TOKEN"] = GatewayTestHost.AuthToken,
            ["PUBLIC_URL"] = GatewayTestHost.PublicUrl,
            ["Silo:Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:DashboardPort"] = "0",
            ["Cluster:ClusterId"] = "gateway-tests-" + Guid.NewGuid().ToString("N"),
        };
        foreach (var (key, value) in settings ?? [])
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        var (cluster, connectionString) = ClusterModeOptions.Read(builder.Configuration);
        var endpoints = SiloConfiguration.ReadEndpoints(builder.Configuration);
        builder.UseOrleans(silo => SiloConfiguration.Configure(silo, builder.Configuration, cluster, connectionString, endpoints));
        configureServices?.Invoke(builder.Services);
        builder.Services.AddSwitchboardGateway(builder.Configuration);

        var app = builder.Build();
        app.UseSwitchboardGateway();
        app.MapSwitchboardGateway();
        var metrics = new MeterRecorder(
            app.Services.GetRequiredService<IMeterFactory>(),
            MediaStreamInstruments.MeterName,
            ConnectionInstruments.MeterName,
            "Switchboard.Runtime");
        try
        {
            await app.StartOrDisposeAsync("the embedded gateway host's start");
        }
        catch
        {
            metrics.Dispose();
            throw;
        }

        return new EmbeddedGatewayHost(app, logs, metrics, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAndDisposeAsync();
        Metrics.Dispose();
    }
}
