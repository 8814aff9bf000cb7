using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.Edge;
using Switchboard.Gateway.MediaStreams;
using ClusterOptions = Orleans.Configuration.ClusterOptions;
using ClientMessagingOptions = Orleans.Configuration.ClientMessagingOptions;
using Switchboard.Postgres;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// The gateway-only process of cluster mode (<c>dotnet run --project src/Gateway</c>): Kestrel on
/// <c>Gateway:BindAddress</c>:<c>Gateway:Port</c> (default 0.0.0.0:8081) with the Twilio endpoints and <c>/health</c>,
/// and an Orleans client that finds the silos' gateways in the PostgreSQL membership table. It hosts no grains; it needs
/// <c>Cluster:Membership=Postgres</c> and <c>ConnectionStrings:Cluster</c>. Start-up problems an operator can fix end
/// the process with exit code 1 and one message naming the key.
/// </summary>
public static class GatewayHost
{
    /// <summary>Default <c>Gateway:BindAddress</c>.</summary>
    public const string DefaultBindAddress = "0.0.0.0";

    /// <summary>Builds the gateway application; <paramref name="configure"/> lets tests override configuration.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var explicitEnvironment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            EnvironmentName = explicitEnvironment is null && !args.Contains("--environment") ? Environments.Development : null,
        });
        builder.Logging.AddSwitchboardJsonLogging(builder.Configuration);
        configure?.Invoke(builder);

        var (cluster, connectionString) = ClusterModeOptions.Read(builder.Configuration);
        if (cluster.Membership != MembershipKind.Postgres)
        {
            throw new InvalidOperationException(
                "the gateway-only process needs a cluster to join: set Cluster:Membership=Postgres (Cluster__Membership) and "
                + "ConnectionStrings:Cluster (ConnectionStrings__Cluster). For a single process, run `dotnet run --project src/Silo` (embedded mode).");
        }

        var port = builder.Configuration.GetValue("Gateway:Port", GatewayOptions.DefaultPort);
        var bindAddress = builder.Configuration.GetValue("Gateway:BindAddress", DefaultBindAddress)!;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenGateway(IPAddress.Parse(bindAddress), port);
        });

        // The drain deadline must fit in the host's shutdown window, with room for the server to close what is left.
        var drain = builder.Configuration.GetValue("Gateway:DrainTimeout", TimeSpan.FromSeconds(30));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = drain + TimeSpan.FromSeconds(10));

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ClusterId));
            client.UsePostgresCluster(connectionString!);
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = FailureDetection.ClientResponseTimeout);
            // A dead silo's gateway leaves the list at the next refresh; the default (1 min) keeps dialling it.
            client.Configure<Orleans.Configuration.GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
            client.AddGatewayCountChangedHandler(services => services.GetRequiredService<GatewayConnectionWatch>().OnGatewayCountChanged);
        });
        builder.Services.AddSingleton<GatewayConnectionWatch>();
        builder.Services.AddHostedService<ThreadPoolDelayMonitor>();
        builder.Services.AddSwitchboardGateway(builder.Configuration);

        var app = builder.Build();
        app.UseSwitchboardGateway();
        app.MapSwitchboardGateway();
        return app;
    }

    /// <summary>Runs until shutdown; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (Exception ex) when (ex is OptionsValidationException or FormatException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"Switchboard gateway cannot start: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Gateway");
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (AddressInUse.Is(ex))
        {
            var port = app.Configuration.GetValue("Gateway:Port", GatewayOptions.DefaultPort);
            await Console.Error.WriteLineAsync(
                $"Switchboard gateway cannot start: port {port} is already in use. Set Gateway:Port (environment variable Gateway__Port) to a free port.")
                .ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ConfigurationFailure.TryDescribe(ex, out var message))
        {
            await Console.Error.WriteLineAsync($"Switchboard gateway cannot start: {message}").ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return 1;
        }

        foreach (var address in app.Urls)
        {
            DrainLog.GatewayListening(log, address);
        }

        await app.WaitForShutdownAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }
}
