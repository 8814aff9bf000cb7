using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Switchboard.Postgres.Tests;

/// <summary>
/// Builds real Orleans hosts for the tests: silos listening on 127.0.0.1 (free ports) and clients, both through
/// <see cref="PostgresClusterExtensions.UsePostgresCluster(ISiloBuilder, string, string)"/>.
/// </summary>
internal static class ClusterHost
{
    public const string StorageName = "postgres";

    /// <summary>Bounds a single host start or stop; a healthy one takes about a second on the shared machine.</summary>
    public static readonly TimeSpan HostTimeout = TimeSpan.FromSeconds(20);

    public static IHost BuildSilo(string connectionString, string clusterId, ITestOutputHelper? output, string name)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (output is not null)
        {
            builder.Logging.AddProvider(new TestOutputLoggerProvider(output, name));
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = clusterId;
            });
            silo.Configure<SiloOptions>(options => options.SiloName = name);
            silo.ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort(), listenOnAnyHostAddress: false);
            silo.UsePostgresCluster(connectionString, StorageName);
        });
        return builder.Build();
    }

    public static IHost BuildClient(string connectionString, string clusterId, ITestOutputHelper? output, Action<IClientBuilder>? clustering = null, ILoggerProvider? recorder = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (output is not null)
        {
            builder.Logging.AddProvider(new TestOutputLoggerProvider(output, "client"));
        }

        if (recorder is not null)
        {
            builder.Logging.AddProvider(recorder);
        }

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = clusterId;
            });
            if (clustering is null)
            {
                client.UsePostgresCluster(connectionString);
            }
            else
            {
                clustering(client);
            }
        });
        return builder.Build();
    }

    public static async Task<IHost> StartSiloAsync(string connectionString, string clusterId, ITestOutputHelper? output, string name)
    {
        var host = BuildSilo(connectionString, clusterId, output, name);
        await StartAsync(host, $"start of silo {name} in cluster {clusterId}");
        return host;
    }

    public static async Task StartAsync(IHost host, string phase)
    {
        using var timeout = new CancellationTokenSource(HostTimeout);
        try
        {
            await host.StartAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"Timed out after {HostTimeout} waiting for the {phase}.");
        }
    }

    public static async Task StopAsync(IHost host, string phase)
    {
        using var timeout = new CancellationTokenSource(HostTimeout);
        var stop = host.StopAsync(timeout.Token);
        if (await Task.WhenAny(stop, Task.Delay(HostTimeout + TimeSpan.FromSeconds(5))) != stop)
        {
            throw new TimeoutException($"Timed out after {HostTimeout} waiting for the {phase}.");
        }

        await stop;
    }

    /// <summary>Waits, on membership events rather than a timer, until the silo's view satisfies the condition.</summary>
    public static async Task WaitForMembershipAsync(IHost silo, Func<ClusterMembershipSnapshot, bool> condition, string phase)
    {
        var membership = silo.Services.GetRequiredService<IClusterMembershipService>();
        if (condition(membership.CurrentSnapshot))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(HostTimeout);
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(timeout.Token))
            {
                if (condition(snapshot))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }

        throw new TimeoutException(
            $"Timed out after {HostTimeout} waiting for {phase}; the silo's view: {Describe(membership.CurrentSnapshot)}.");
    }

    public static string Describe(ClusterMembershipSnapshot snapshot) =>
        string.Join(", ", snapshot.Members.Values.Select(member => $"{member.Name} {member.SiloAddress} {member.Status}"));

    /// <summary>The first exception of type <typeparamref name="T"/> in the chain (inner and aggregated exceptions).</summary>
    public static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find<T>(inner) is { } found)
                    {
                        return found;
                    }
                }
            }
        }

        return null;
    }

    public static string Chain(Exception exception)
    {
        var parts = new List<string>();
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            parts.Add($"{current.GetType().Name}: {current.Message}");
        }

        return string.Join(" --> ", parts);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
