using Npgsql;
using Orleans;
using Orleans.Runtime;

namespace Switchboard.Postgres;

/// <summary>
/// Applies the schema at the silo's very first lifecycle stage, before membership (RuntimeInitialize and later) and
/// grain storage (ApplicationServices) load their queries from <c>OrleansQuery</c>. A failure stops the silo's start
/// with the <see cref="PostgresSchemaException"/>, which is the clearest place to learn that the database is wrong.
/// </summary>
internal sealed class PostgresSchemaLifecycleParticipant(PostgresSchema schema, NpgsqlDataSource dataSource)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaLifecycleParticipant), ServiceLifecycleStage.First, OnStartAsync);

    private Task OnStartAsync(CancellationToken cancellationToken) => schema.ApplyAsync(dataSource, cancellationToken);
}
