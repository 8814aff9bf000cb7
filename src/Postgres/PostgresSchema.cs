using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Switchboard.Postgres;

/// <summary>
/// Brings a PostgreSQL database to the latest Switchboard schema: the tables and query rows that Orleans' ADO.NET
/// clustering and grain storage providers read (Orleans ships no SQL and never creates them).
/// </summary>
/// <remarks>
/// <para>
/// Protocol: one transaction that first takes <c>pg_advisory_xact_lock</c> on a fixed key, then creates the
/// <c>switchboard_schema</c> bookkeeping table if missing, reads the highest recorded version, runs each embedded
/// <c>V&lt;n&gt;__*.sql</c> script above it in order, records one row per script and commits. Every process calls this
/// at start; the lock makes concurrent starts queue up, so exactly one applies a version and the others, once the lock
/// is theirs, find it recorded and change nothing. The lock ends with the transaction, also when a process dies.
/// </para>
/// <para>
/// Failure modes: any error rolls the whole transaction back (PostgreSQL DDL is transactional), so a database is
/// never left half-migrated; the caller gets a <see cref="PostgresSchemaException"/> naming the server, database and
/// step. The wait for the lock is bounded by the data source's command timeout and by the cancellation token. A
/// database at a newer version than this build knows is refused rather than used. The account needs rights to
/// create tables in the default schema.
/// </para>
/// </remarks>
public sealed class PostgresSchema
{
    /// <summary>The advisory lock key that serialises schema changes ("SwbdSchm" in ASCII); per database.</summary>
    internal const long AdvisoryLockKey = 0x5377_6264_5363_686D;

    private static readonly Lazy<IReadOnlyList<SchemaMigration>> s_migrations = new(SchemaMigration.LoadEmbedded);

    private readonly ILogger<PostgresSchema> _logger;

    /// <summary>Creates the schema applier.</summary>
    /// <param name="logger">Receives one line per applied version, or one saying the database was already current.</param>
    public PostgresSchema(ILogger<PostgresSchema> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>The schema version this build applies (the highest embedded script).</summary>
    public static int LatestVersion => s_migrations.Value.Count;

    /// <summary>
    /// Applies the schema versions the database lacks, idempotently and safely against concurrent callers.
    /// </summary>
    /// <param name="dataSource">The process's data source; one connection is borrowed for the call.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock and the scripts (the transaction rolls back).</param>
    /// <returns>The version found and the version left.</returns>
    /// <exception cref="PostgresSchemaException">The database could not be reached, checked or migrated.</exception>
    public async Task<SchemaApplyResult> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var migrations = s_migrations.Value;
        var started = Stopwatch.GetTimestamp();
        var step = "opening a connection";
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            step = "taking the schema lock";
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
            {
                command.Parameters.AddWithValue("key", AdvisoryLockKey);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            step = "reading the schema version";
            await ExecuteAsync(connection, transaction,
                """
                CREATE TABLE IF NOT EXISTS switchboard_schema
                (
                    version    integer     NOT NULL PRIMARY KEY,
                    script     text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken).ConfigureAwait(false);
            int previous;
            await using (var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM switchboard_schema", connection, transaction))
            {
                previous = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            if (previous > migrations.Count)
            {
                throw new PostgresSchemaException(
                    $"Database '{target.Database}' on {target.Host}:{target.Port} is at Switchboard schema version {previous}, "
                    + $"newer than this build's {migrations.Count}; deploy a build that knows version {previous}.");
            }

            var applied = new List<SchemaMigration>();
            foreach (var migration in migrations.Where(m => m.Version > previous))
            {
                step = $"applying {migration.Name}";
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
                await using var record = new NpgsqlCommand(
                    "INSERT INTO switchboard_schema (version, script) VALUES (@version, @script)", connection, transaction);
                record.Parameters.AddWithValue("version", migration.Version);
                record.Parameters.AddWithValue("script", migration.Name);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                applied.Add(migration);
            }

            step = "committing";
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

            var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (applied.Count == 0)
            {
                PostgresLog.SchemaCurrent(_logger, previous, target.Database, target.Host, elapsedMs);
            }

            foreach (var migration in applied)
            {
                PostgresLog.SchemaApplied(_logger, migration.Version, migration.Name, target.Database, target.Host, elapsedMs);
            }

            return new SchemaApplyResult(previous, Math.Max(previous, migrations.Count));
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not PostgresSchemaException)
        {
            PostgresLog.SchemaFailed(_logger, exception, step, target.Database, target.Host);
            throw new PostgresSchemaException(
                $"Could not apply the Switchboard schema to database '{target.Database}' on {target.Host}:{target.Port}: "
                + $"{step} failed: {exception.Message}", exception);
        }
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
