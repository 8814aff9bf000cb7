using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Messaging;
using Orleans.Runtime;
using Orleans.Runtime.Membership;
using Orleans.Storage;
using Switchboard.Postgres.Storage;

namespace Switchboard.Postgres;

/// <summary>
/// Puts an Orleans silo or client on PostgreSQL: Orleans' own ADO.NET membership (and, on silos, grain storage)
/// providers, one shared <see cref="NpgsqlDataSource"/> per host, and the Switchboard schema applied before either
/// provider reads it.
/// </summary>
/// <remarks>
/// The host's <see cref="ClusterOptions"/> (ClusterId, ServiceId) still come from the caller: membership rows are
/// scoped by ClusterId, grain state by ServiceId.
/// </remarks>
public static class PostgresClusterExtensions
{
    /// <summary>The ADO.NET invariant the Orleans providers use to find Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Clusters the silo through PostgreSQL and adds a PostgreSQL grain storage provider named
    /// <paramref name="storageName"/> that stores state as System.Text.Json (no CLR type names in the rows).
    /// </summary>
    /// <param name="silo">The silo builder.</param>
    /// <param name="connectionString">Npgsql connection string; <c>Maximum Pool Size</c> defaults to <see cref="PostgresDataSource.DefaultMaxPoolSize"/>.</param>
    /// <param name="storageName">The provider name grains use in <c>[PersistentState(stateName, storageName)]</c>.</param>
    /// <returns>The silo builder.</returns>
    /// <exception cref="ArgumentException">An argument is empty or the connection string is not valid.</exception>
    /// <remarks>
    /// Registers the host's <see cref="NpgsqlDataSource"/> singleton (disposed with the host's service provider),
    /// a lifecycle participant at <see cref="ServiceLifecycleStage.First"/> that runs
    /// <see cref="PostgresSchema.ApplyAsync"/>, <c>UseAdoNetClustering</c> and <c>AddAdoNetGrainStorage</c>, both
    /// given the data source rather than a connection string.
    /// </remarks>
    public static ISiloBuilder UsePostgresCluster(this ISiloBuilder silo, string connectionString, string storageName)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrWhiteSpace(storageName);
        AddDataSourceAndSchema(silo.Services, connectionString);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PostgresSchemaLifecycleParticipant>();

        silo.UseAdoNetClustering(options => options.Configure<NpgsqlDataSource>((clustering, dataSource) =>
        {
            clustering.Invariant = Invariant;
            clustering.DataSource = dataSource;
        }));

        silo.AddAdoNetGrainStorage(storageName, options => options.Configure<NpgsqlDataSource, IServiceProvider>((storage, dataSource, services) =>
        {
            storage.Invariant = Invariant;
            storage.DataSource = dataSource;
            // Per provider, not UseSystemTextJsonGrainStorageSerializer(): that swaps the silo-wide default for every
            // storage provider. The serializer's options come from the silo (grain reference converters included).
            storage.GrainStorageSerializer = ActivatorUtilities.CreateInstance<SystemTextJsonGrainStorageSerializer>(services);
        }));
        silo.AddGrainStorageCircuitBreaker(storageName);

        return silo;
    }

    /// <summary>
    /// Has the client find gateways in the PostgreSQL membership table (silos that are Active and expose a gateway
    /// port), applying the schema first so a client that starts before any silo still finds the tables.
    /// </summary>
    /// <param name="client">The client builder.</param>
    /// <param name="connectionString">Npgsql connection string; <c>Maximum Pool Size</c> defaults to <see cref="PostgresDataSource.DefaultMaxPoolSize"/>.</param>
    /// <returns>The client builder.</returns>
    /// <exception cref="ArgumentException">The connection string is empty or not valid.</exception>
    public static IClientBuilder UsePostgresCluster(this IClientBuilder client, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(client);
        AddDataSourceAndSchema(client.Services, connectionString);

        client.UseAdoNetClustering(options => options.Configure<NpgsqlDataSource>((clustering, dataSource) =>
        {
            clustering.Invariant = Invariant;
            clustering.DataSource = dataSource;
        }));

        // Registered after UseAdoNetClustering's own IGatewayListProvider, so this one is what the client resolves.
        client.Services.AddSingleton<IGatewayListProvider>(services => new PostgresGatewayListProvider(
            ActivatorUtilities.CreateInstance<AdoNetGatewayListProvider>(services),
            services.GetRequiredService<PostgresSchema>(),
            services.GetRequiredService<NpgsqlDataSource>()));

        return client;
    }

    private static void AddDataSourceAndSchema(IServiceCollection services, string connectionString)
    {
        // Parsed now so a malformed string fails while the host is being configured, not at first connection.
        var effective = PostgresDataSource.WithPoolCap(connectionString);
        services.AddSingleton(provider => PostgresDataSource.Create(effective, provider.GetService<ILoggerFactory>()));
        services.AddSingleton<PostgresSchema>();
    }
}
