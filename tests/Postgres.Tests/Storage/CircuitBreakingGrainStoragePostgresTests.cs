using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;
using Polly.CircuitBreaker;
using Switchboard.Postgres.Storage;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Postgres.Tests.Storage;

/// <summary>The breaker as <c>UsePostgresCluster</c> registers it, in front of Orleans' real ADO.NET storage on a real
/// PostgreSQL of the test's own, which the test stops and starts.</summary>
public sealed class CircuitBreakingGrainStoragePostgresTests(ITestOutputHelper output)
{
    private const string StorageName = "connections";

    [Fact]
    public async Task UsePostgresCluster_InvalidBreakerOptions_HostFailsToStartNamingTheKey()
    {
        using var host = BuildSilo(TestDatabase.ClosedPortConnectionString(), new FakeTimeProvider(),
            new Dictionary<string, string?> { ["Postgres:StorageCircuitBreaker:FailureThreshold"] = "1" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Postgres:StorageCircuitBreaker:FailureThreshold must be in 2..1000; got 1.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdoNetStorage_DatabaseStoppedThenBack_FailsFastAfterThreeFailuresAndProbeCloses()
    {
        await using var server = await PostgresServer.StartDedicatedAsync();
        var connectionString = await server.CreateDatabaseAsync("circuit");
        var time = new FakeTimeProvider();
        using var host = BuildSilo(connectionString, time, new Dictionary<string, string?>());
        await ClusterHost.StartAsync(host, "start of the silo on the dedicated server");
        var serverStopped = false;
        try
        {
            var storage = Assert.IsType<CircuitBreakingGrainStorage>(host.Services.GetRequiredKeyedService<IGrainStorage>(StorageName));
            var grain = GrainId.Create("connection", "MZ-circuit-pg");
            var state = new GrainState<CounterState>(new CounterState { Total = 1 });
            await storage.WriteStateAsync("session", grain, state);
            var superseded = state.ETag;
            await storage.WriteStateAsync("session", grain, state);
            var written = state.ETag;

            // An ETag conflict from the real store passes through and does not count.
            for (var i = 0; i < 4; i++)
            {
                var stale = new GrainState<CounterState>(new CounterState { Total = 99 }, superseded) { RecordExists = true };
                await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("session", grain, stale));
            }

            Assert.Equal(CircuitState.Closed, storage.State);

            // The successes and conflicts above age out of the sampling window, as they would by the time an outage
            // has lasted that long: while any is in it, not every call in the window failed.
            time.Advance(GrainStorageCircuitBreakerOptions.DefaultSamplingDuration);
            await server.StopAsync();
            serverStopped = true;
            for (var i = 0; i < GrainStorageCircuitBreakerOptions.DefaultFailureThreshold; i++)
            {
                state.State!.Total++;
                var failure = await Assert.ThrowsAnyAsync<Exception>(() => storage.WriteStateAsync("session", grain, state));
                Assert.IsNotType<GrainStorageUnavailableException>(failure);
                Assert.True(PostgresFailures.IsConnectionFailure(failure), $"write {i + 1} with the server stopped: {ClusterHost.Chain(failure)}");
            }

            Assert.Equal(CircuitState.Open, storage.State);
            var rejected = await Assert.ThrowsAsync<GrainStorageUnavailableException>(() => storage.WriteStateAsync("session", grain, state));
            await Assert.ThrowsAsync<GrainStorageUnavailableException>(() => storage.ReadStateAsync("session", grain, new GrainState<CounterState>()));
            Assert.Contains("Grain storage 'connections' is unavailable", rejected.Message, StringComparison.Ordinal);

            await server.StartAsync();
            serverStopped = false;
            // Connections the pool held when the server stopped are dead; the probe should meet the server, not them.
            host.Services.GetRequiredService<NpgsqlDataSource>().Clear();
            time.Advance(GrainStorageCircuitBreakerOptions.DefaultBreakDuration);
            await storage.WriteStateAsync("session", grain, state);

            Assert.Equal(CircuitState.Closed, storage.State);
            Assert.NotEqual(written, state.ETag);
            var read = new GrainState<CounterState>();
            await storage.ReadStateAsync("session", grain, read);
            Assert.Equal(1 + GrainStorageCircuitBreakerOptions.DefaultFailureThreshold, read.State!.Total);
        }
        finally
        {
            // A silo cannot leave the membership table gracefully while the server is down.
            if (serverStopped)
            {
                await server.StartAsync();
            }

            await ClusterHost.StopAsync(host, "stop of the silo on the dedicated server");
        }
    }

    private IHost BuildSilo(string connectionString, TimeProvider breakerTime, Dictionary<string, string?> configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output, "silo"));
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddKeyedSingleton(GrainStorageCircuitBreakerExtensions.TimeProviderKey, breakerTime);
        var clusterId = $"circuit-{Guid.NewGuid():N}"[..20];
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (clusterId, clusterId));
            silo.ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort(), listenOnAnyHostAddress: false);
            silo.UsePostgresCluster(connectionString, StorageName);
        });
        return builder.Build();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
