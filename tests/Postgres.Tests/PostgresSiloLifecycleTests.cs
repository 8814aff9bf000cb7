using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Switchboard.Postgres.Tests;

/// <summary>Start, stop and failure paths of silos and clients on PostgreSQL; each test has its own cluster.</summary>
public sealed class PostgresSiloLifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Silo_ClosedPort_StartFailsWithSchemaExceptionNamingTheServer()
    {
        var connectionString = TestDatabase.ClosedPortConnectionString();
        var port = new NpgsqlConnectionStringBuilder(connectionString).Port;
        using var silo = ClusterHost.BuildSilo(connectionString, NewClusterId(), output, "silo-closed-port");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ClusterHost.StartAsync(silo, "start of a silo whose database is unreachable"));

        var schema = ClusterHost.Find<PostgresSchemaException>(failure);
        Assert.True(schema is not null, $"Expected a PostgresSchemaException in the chain; got {ClusterHost.Chain(failure)}");
        Assert.Contains($"127.0.0.1:{port}", schema.Message, StringComparison.Ordinal);
        Assert.Contains("opening a connection failed", schema.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdoNetClient_EmptyDatabaseWithoutSchemaStep_StartFailsWithoutRetrying()
    {
        // Orleans' provider alone, no Switchboard schema step: measures what a client does when the tables are missing.
        var connectionString = await TestDatabase.CreateAsync("client_noschema");
        using var client = ClusterHost.BuildClient(connectionString, NewClusterId(), output, clustering => clustering.UseAdoNetClustering(options =>
        {
            options.Invariant = PostgresClusterExtensions.Invariant;
            options.ConnectionString = connectionString;
        }));
        var started = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ClusterHost.StartAsync(client, "start of a plain ADO.NET client on an empty database"));

        var missing = ClusterHost.Find<PostgresException>(failure);
        Assert.True(missing is { SqlState: PostgresErrorCodes.UndefinedTable }, $"Expected 42P01 undefined table; got {ClusterHost.Chain(failure)}");
        Assert.Contains("orleansquery", missing.MessageText, StringComparison.Ordinal);
        output.WriteLine($"Plain ADO.NET client on an empty database failed after {started.ElapsedMilliseconds} ms: {ClusterHost.Chain(failure)}");
    }

    [Fact]
    public async Task Client_StartedBeforeAnySilo_AppliesSchemaThenConnectsOnceASiloIsUp()
    {
        var connectionString = await TestDatabase.CreateAsync("client_first");
        var clusterId = NewClusterId();
        using var recorder = new EventRecordingLoggerProvider();
        using var client = ClusterHost.BuildClient(connectionString, clusterId, output, recorder: recorder);

        var clientStart = ClusterHost.StartAsync(client, "start of a client that began before any silo");
        // The client applies the schema itself, before its gateway list provider reads OrleansQuery; with no silo
        // yet it then keeps looking for gateways (Orleans retries that, unlike missing tables).
        await recorder.WaitForAsync("SchemaApplied", ClusterHost.HostTimeout, "the client applying the schema on an empty database");
        Assert.False(clientStart.IsCompleted, "The client start finished although no silo exists yet.");
        using var silo = await ClusterHost.StartSiloAsync(connectionString, clusterId, output, "silo-late");
        await clientStart;

        var total = await client.Services.GetRequiredService<IClusterClient>().GetGrain<ICounterGrain>("client-first").Add(2, "late silo");

        Assert.Equal(2, total);
        await ClusterHost.StopAsync(client, "stop of the client");
        await ClusterHost.StopAsync(silo, "stop of silo-late");
    }

    [Fact]
    public async Task Silo_StopOneOfTwo_RowEndsDeadSurvivorSeesItAndCleanupRemovesIt()
    {
        var connectionString = await TestDatabase.CreateAsync("silo_stop");
        var clusterId = NewClusterId();
        using var first = await ClusterHost.StartSiloAsync(connectionString, clusterId, output, "silo-a");
        using var second = await ClusterHost.StartSiloAsync(connectionString, clusterId, output, "silo-b");
        var secondAddress = second.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        await ClusterHost.WaitForMembershipAsync(first, s => s.Members.Values.Count(m => m.Status == SiloStatus.Active) == 2,
            $"silo-a to see both silos of {clusterId} Active");

        await ClusterHost.StopAsync(second, "graceful stop of silo-b");

        // The stop path writes the row before StopAsync returns: no wait needed for the table.
        var status = await TestDatabase.ScalarAsync<int>(connectionString,
            "SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Port = @port AND Generation = @generation",
            ("cluster", clusterId), ("port", secondAddress.Endpoint.Port), ("generation", secondAddress.Generation));
        Assert.Equal((int)SiloStatus.Dead, status);
        await ClusterHost.WaitForMembershipAsync(first, s => s.Members.TryGetValue(secondAddress, out var m) && m.Status == SiloStatus.Dead,
            $"silo-a to see silo-b ({secondAddress}) Dead");

        // 10.4.2 prefers the optional per-row query (CleanupDefunctSiloEntryKey), binding the captured timestamps with
        // DbType.DateTime; this proves Npgsql accepts them and only the Dead row goes.
        var table = first.Services.GetRequiredService<IMembershipTable>();
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        var remaining = await TestDatabase.RowsAsync(connectionString,
            "SELECT Port, Status FROM OrleansMembershipTable WHERE DeploymentId = @cluster", ("cluster", clusterId));
        var survivor = Assert.Single(remaining);
        Assert.Equal((int)SiloStatus.Active, survivor[1]);
        Assert.Equal(first.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Endpoint.Port, survivor[0]);

        await ClusterHost.StopAsync(first, "graceful stop of silo-a");
    }

    private static string NewClusterId() => $"test-{Guid.NewGuid():N}"[..20];
}
