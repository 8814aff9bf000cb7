using Microsoft.Extensions.Options;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// Cluster mode's silo-only process (<c>Cluster:Membership=Postgres</c>): an Orleans silo on <c>Silo:Port</c> (11111)
/// with its client port <c>Silo:GatewayPort</c> (30000) for the gateways, membership and grain state in PostgreSQL,
/// and the dashboard on <c>Silo:DashboardPort</c> (8080). On SIGTERM Orleans deactivates every grain; each connection
/// grain writes its checkpoint as it goes and the gateways re-deliver to its next activation on another silo. The host
/// allows <see cref="ShutdownTimeout"/> for it.
/// </summary>
internal static class ClusterSiloHost
{
    /// <summary>Time the host gives the silo's shutdown on SIGTERM.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>True when configuration asks for cluster mode.</summary>
    public static bool IsClusterMode(IConfiguration configuration)
        => configuration.GetValue($"{ClusterModeOptions.SectionName}:{nameof(ClusterModeOptions.Membership)}", MembershipKind.InMemory) == MembershipKind.Postgres;

    /// <summary>Builds the silo host; <paramref name="configure"/> lets tests override configuration and services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var explicitEnvironment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            EnvironmentName = explicitEnvironment is null && !args.Contains("--environment") ? Environments.Development : null,
        });
        HostLogging.ConfigureAfter(builder, configure);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);

        var (cluster, connectionString) = ClusterModeOptions.Read(builder.Configuration);
        var endpoints = SiloConfiguration.ReadEndpoints(builder.Configuration);
        var credentials = endpoints.DashboardPort > 0 ? DashboardCredentials.Read(builder.Configuration, builder.Environment) : new DashboardCredentials();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Kestrel needs an endpoint; without the dashboard it gets an ephemeral loopback one that serves nothing.
            kestrel.Listen(System.Net.IPAddress.Parse(endpoints.ListenAddress), endpoints.DashboardPort);
        });
        builder.UseOrleans(silo => SiloConfiguration.Configure(silo, builder.Configuration, cluster, connectionString, endpoints));

        var app = builder.Build();
        SiloConfiguration.MapDashboard(app, endpoints, credentials);
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
            await Console.Error.WriteLineAsync($"Switchboard silo cannot start: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Silo");

        // The ports are checked before the start, not after a failed one: after a start that failed on a taken
        // Silo:GatewayPort, the stopped silo still held its own Silo:Port, so a probe on the way out named Silo:Port
        // (SiloHostStartupTests). Checked first, the answer describes the machine as the operator left it, and it comes
        // before the silo's first step on PostgreSQL (its schema).
        if (PortConflict.FindTaken(Bindings(app.Configuration)) is { } conflict)
        {
            SiloLog.PortInUse(log, conflict.Port, conflict.Key, conflict.EnvironmentVariable);
            await Console.Error.WriteLineAsync(
                $"Switchboard silo cannot start: port {conflict.Port} is already in use. Set {conflict.Key} (environment variable {conflict.EnvironmentVariable}) to a free port.")
                .ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return 1;
        }

        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (AddressInUse.Is(ex))
        {
            // Taken between the check and the bind: which one cannot be told reliably now (see above).
            await SiloHost.StopQuietlyAsync(app).ConfigureAwait(false);
            SiloLog.PortInUse(log, 0, "Silo:Port, Silo:GatewayPort or Silo:DashboardPort", "Silo__Port, Silo__GatewayPort, Silo__DashboardPort");
            await Console.Error.WriteLineAsync(
                "Switchboard silo cannot start: a port is already in use. Set Silo:Port, Silo:GatewayPort and Silo:DashboardPort (Silo__Port...) to free ports.")
                .ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ConfigurationFailure.TryDescribe(ex, out var message))
        {
            SiloLog.InvalidConfiguration(log, message);
            await Console.Error.WriteLineAsync($"Switchboard silo cannot start: {message}").ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return 1;
        }

        foreach (var address in app.Urls)
        {
            SiloLog.Listening(log, address, "cluster");
        }

        await app.WaitForShutdownAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>The ports this host listens on, with their keys (an ephemeral dashboard port is skipped by the check).</summary>
    private static PortBinding[] Bindings(IConfiguration configuration)
    {
        var endpoints = SiloConfiguration.ReadEndpoints(configuration);
        var listen = System.Net.IPAddress.TryParse(endpoints.ListenAddress, out var address) ? address : System.Net.IPAddress.Any;
        return
        [
            new PortBinding("Silo:Port", listen, endpoints.Port),
            new PortBinding("Silo:GatewayPort", listen, endpoints.GatewayPort),
            new PortBinding("Silo:DashboardPort", listen, endpoints.DashboardPort),
        ];
    }
}
