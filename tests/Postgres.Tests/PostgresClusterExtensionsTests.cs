using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Messaging;
using Orleans.Storage;

namespace Switchboard.Postgres.Tests;

/// <summary>What the extensions register, checked on built (not started) hosts.</summary>
public sealed class PostgresClusterExtensionsTests
{
    private const string ConnectionString = "Host=127.0.0.1;Port=5432;Username=postgres;Database=switchboard";

    [Fact]
    public void UsePostgresCluster_MalformedConnectionString_FailsWhileConfiguring()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        Assert.Throws<ArgumentException>(() => builder.UseOrleans(silo => silo.UsePostgresCluster("Host=db;Bogus=1", "store")));
    }

    [Fact]
    public void UsePostgresCluster_EmptyStorageName_Throws()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        Assert.Throws<ArgumentException>(() => builder.UseOrleans(silo => silo.UsePostgresCluster(ConnectionString, "")));
    }

    [Fact]
    public async Task UsePostgresCluster_Silo_ClusteringAndStorageShareTheOneDataSourceWithJsonSerializer()
    {
        using var host = ClusterHost.BuildSilo(ConnectionString, "extensions", null, "silo-options");
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        var clustering = host.Services.GetRequiredService<IOptions<AdoNetClusteringSiloOptions>>().Value;
        var storage = host.Services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(ClusterHost.StorageName);

        Assert.Same(dataSource, clustering.DataSource);
        Assert.Null(clustering.ConnectionString);
        Assert.Equal("Npgsql", clustering.Invariant);
        Assert.Same(dataSource, storage.DataSource);
        Assert.Null(storage.ConnectionString);
        Assert.Equal("Npgsql", storage.Invariant);
        Assert.IsType<SystemTextJsonGrainStorageSerializer>(storage.GrainStorageSerializer);
        Assert.Equal(PostgresDataSource.DefaultMaxPoolSize, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize);

        // The host's service provider owns the data source: disposing the host disposes it.
        host.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await dataSource.OpenConnectionAsync());
    }

    [Fact]
    public void UsePostgresCluster_Client_UsesTheDataSourceAndTheSchemaFirstGatewayProvider()
    {
        using var host = ClusterHost.BuildClient(ConnectionString, "extensions", null);
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        var clustering = host.Services.GetRequiredService<IOptions<AdoNetClusteringClientOptions>>().Value;

        Assert.Same(dataSource, clustering.DataSource);
        Assert.Null(clustering.ConnectionString);
        Assert.Equal("Npgsql", clustering.Invariant);
        Assert.IsType<PostgresGatewayListProvider>(host.Services.GetRequiredService<IGatewayListProvider>());
    }
}
