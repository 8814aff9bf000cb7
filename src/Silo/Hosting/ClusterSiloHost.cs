using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Hosting;
using Switchboard.Grains;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Hosting;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// Cluster mode's silo-only process (<c>Cluster:Membership=Postgres</c>): the grain runtime with its TCP endpoint on
/// <c>Silo:Port</c> (default 11111), the connection and health grains and the health reporter; no gateway. SIGTERM
/// hands its grains off (see the runtime's cluster silo lifecycle); the host allows <see cref="ShutdownTimeout"/> for it.
/// </summary>
internal static class ClusterSiloHost
{
    /// <summary>Time the host gives the graceful hand-off on SIGTERM.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>True when configuration asks for cluster mode.</summary>
    public static bool IsClusterMode(IConfiguration configuration)
        => configuration.GetValue($"{ClusterOptions.SectionName}:{nameof(ClusterOptions.Membership)}", MembershipProviderKind.InMemory)
            == MembershipProviderKind.Postgres;

    /// <summary>Builds the silo host; <paramref name="configure"/> lets tests override configuration and services.</summary>
    public static IHost Build(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var explicitEnvironment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            EnvironmentName = explicitEnvironment is null && !args.Contains("--environment") ? Environments.Development : null,
        });
        builder.Logging.AddSwitchboardJsonLogging(builder.Configuration);
        configure?.Invoke(builder);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);

        builder.Services.AddSwitchboardClusterSilo(builder.Configuration);
        builder.Services.AddSwitchboardGrains(builder.Configuration);
        builder.Services.AddGrain<IConnectionGrain, Switchboard.Grains.Connection.ConnectionGrain>();
        builder.Services.AddGrain<IHealthGrain, Switchboard.Grains.Health.HealthGrain>();
        builder.Services.AddHostedService<SiloHealthReporter>();
        return builder.Build();
    }

    /// <summary>Runs until shutdown; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        IHost host;
        try
        {
            host = Build(args);
        }
        catch (Exception ex) when (ex is OptionsValidationException or FormatException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"Switchboard silo cannot start: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Silo");
        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
        {
            var port = host.Services.GetRequiredService<IOptions<SiloOptions>>().Value.Port;
            SiloLog.PortInUse(log, port, "Silo:Port", "Silo__Port");
            await Console.Error.WriteLineAsync(
                $"Switchboard silo cannot start: port {port} is already in use. Set Silo:Port (environment variable Silo__Port) to a free port.")
                .ConfigureAwait(false);
            host.Dispose();
            return 1;
        }
        catch (OptionsValidationException ex)
        {
            SiloLog.InvalidConfiguration(log, ex.Message);
            await Console.Error.WriteLineAsync($"Switchboard silo cannot start: {ex.Message}").ConfigureAwait(false);
            host.Dispose();
            return 1;
        }

        await host.WaitForShutdownAsync().ConfigureAwait(false);
        host.Dispose();
        return 0;
    }
}
