using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Switchboard.Gateway;
using Switchboard.Gateway.Edge;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// Builds and runs the embedded-mode host: an Orleans silo (localhost clustering, in-memory storage, the dashboard on
/// <c>Silo:DashboardPort</c>) and the gateway's endpoints in one process; or hands over to <see cref="ClusterSiloHost"/>
/// in cluster mode. Start-up failures that an operator can fix (a port already taken,
/// missing Production variables, invalid options) end the process with exit code 1 and one clear message
/// naming the key to change, instead of a stack trace.
/// </summary>
internal static class SiloHost
{
    /// <summary>Builds the application; <paramref name="configure"/> lets tests override configuration and services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // `dotnet run --project src/Silo` with no environment is a developer's first run: Development, not the
        // framework's default of Production (which demands the Twilio variables). An explicit environment wins.
        var explicitEnvironment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            EnvironmentName = explicitEnvironment is null && !args.Contains("--environment") ? Environments.Development : null,
        });
        HostLogging.ConfigureAfter(builder, configure);

        var (cluster, connectionString) = ClusterModeOptions.Read(builder.Configuration);
        var endpoints = SiloConfiguration.ReadEndpoints(builder.Configuration);
        var credentials = endpoints.DashboardPort > 0 ? DashboardCredentials.Read(builder.Configuration, builder.Environment) : new DashboardCredentials();
        var port = builder.Configuration.GetValue("Gateway:Port", EmbeddedDefaults.GatewayPort);
        var bindAddress = IPAddress.Parse(builder.Configuration.GetValue("Gateway:BindAddress", EmbeddedDefaults.BindAddress)!);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenGateway(bindAddress, port);
            if (endpoints.DashboardPort > 0)
            {
                kestrel.Listen(bindAddress, endpoints.DashboardPort);
            }
        });

        builder.UseOrleans(silo => SiloConfiguration.Configure(silo, builder.Configuration, cluster, connectionString, endpoints));
        builder.Services.AddSwitchboardGateway(builder.Configuration);

        var app = builder.Build();
        SiloConfiguration.UseDashboardPortSeparation(app, endpoints);
        app.UseSwitchboardGateway();
        app.MapSwitchboardGateway();
        SiloConfiguration.MapDashboard(app, endpoints, credentials);
        return app;
    }

    /// <summary>Runs until shutdown; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        // Cluster mode (Cluster:Membership=Postgres) hosts a silo only; the gateway runs as its own process.
        var probe = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        if (ClusterSiloHost.IsClusterMode(probe))
        {
            return await ClusterSiloHost.RunAsync(args).ConfigureAwait(false);
        }

        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (Exception ex) when (ex is OptionsValidationException or FormatException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"Switchboard cannot start: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Silo");
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (AddressInUse.Is(ex))
        {
            // The gateway's port, the silo's or the dashboard's: the one still taken once this host has let go of its own.
            await StopQuietlyAsync(app).ConfigureAwait(false);
            var bindAddress = IPAddress.Parse(app.Configuration.GetValue("Gateway:BindAddress", EmbeddedDefaults.BindAddress)!);
            var endpoints = SiloConfiguration.ReadEndpoints(app.Configuration);
            var taken = PortConflict.FindTaken(
            [
                new PortBinding("Gateway:Port", bindAddress, app.Configuration.GetValue("Gateway:Port", EmbeddedDefaults.GatewayPort)),
                new PortBinding("Silo:Port", IPAddress.Loopback, endpoints.Port),
                new PortBinding("Silo:DashboardPort", bindAddress, endpoints.DashboardPort),
            ]);
            if (taken is { } conflict)
            {
                SiloLog.PortInUse(log, conflict.Port, conflict.Key, conflict.EnvironmentVariable);
                await Console.Error.WriteLineAsync(
                    $"Switchboard cannot start: port {conflict.Port} is already in use. Set {conflict.Key} (environment variable {conflict.EnvironmentVariable}) to a free port.")
                    .ConfigureAwait(false);
            }
            else
            {
                SiloLog.PortInUse(log, 0, "Gateway:Port, Silo:Port or Silo:DashboardPort", "Gateway__Port, Silo__Port, Silo__DashboardPort");
                await Console.Error.WriteLineAsync(
                    "Switchboard cannot start: a port is already in use. Set Gateway:Port, Silo:Port and Silo:DashboardPort (Gateway__Port...) to free ports.")
                    .ConfigureAwait(false);
            }

            await app.DisposeAsync().ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ConfigurationFailure.TryDescribe(ex, out var message))
        {
            SiloLog.InvalidConfiguration(log, message);
            await Console.Error.WriteLineAsync($"Switchboard cannot start: {message}").ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return 1;
        }

        foreach (var address in app.Urls)
        {
            SiloLog.Listening(log, address, "embedded");
        }

        await app.WaitForShutdownAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>Stops what a failed start had started (the silo binds its port before Kestrel binds its own).</summary>
    internal static async Task StopQuietlyAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Stopping after a failed start: what went wrong is already being reported.
        }
    }
}
