using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace Switchboard.Runtime.Membership;

/// <summary>
/// Membership table in PostgreSQL (schema <c>membership.sql</c>, Orleans' ADO.NET clustering model), scoped by
/// cluster id.
/// </summary>
/// <remarks>
/// Invariants:
/// <list type="bullet">
/// <item>Insert and update run in one transaction: first <c>version = version + 1 WHERE version = expected</c>, then
/// the row write only if that bump hit one row; if either touches no row the transaction rolls back and the call
/// returns false. The single version row is the compare-and-swap for the whole cluster (concurrent writers that
/// read the same version serialize on its row lock, and the loser's WHERE no longer matches).</item>
/// <item>An update never moves <c>iamalive_time</c> back: a voter writes the row it read, which may predate the
/// target's last heartbeat.</item>
/// <item>IAmAlive is a blind update with no version bump, so heartbeats never make CAS writers conflict.</item>
/// <item>Store failures surface as <see cref="NpgsqlException"/> (or <see cref="TimeoutException"/> /
/// <see cref="OperationCanceledException"/>); nothing is retried here, the caller decides.</item>
/// </list>
/// </remarks>
internal sealed class PostgresMembershipTable : IMembershipTable, IAsyncDisposable
{
    /// <summary>Name of the embedded schema script.</summary>
    public const string SchemaResourceName = "membership.sql";

    // Serializes schema creation across processes: concurrent CREATE TABLE IF NOT EXISTS can still fail on the
    // catalog's unique indexes. An arbitrary constant, distinct from other Switchboard schema locks ("SWMEMBER").
    private const long SchemaLockKey = 0x5357_4D45_4D42_4552;

    private const string ReadAllSql = """
        SELECT v.version, m.address, m.port, m.generation, m.silo_name, m.host_name, m.status, m.suspect_times,
               m.start_time, m.iamalive_time
        FROM switchboard_membership_version v
        LEFT JOIN switchboard_membership m ON m.cluster_id = v.cluster_id
        WHERE v.cluster_id = @cluster_id
        """;

    private const string BumpVersionSql = """
        UPDATE switchboard_membership_version SET version = version + 1, updated_at = now()
        WHERE cluster_id = @cluster_id AND version = @version
        """;

    private const string InsertRowSql = """
        INSERT INTO switchboard_membership
            (cluster_id, address, port, generation, silo_name, host_name, status, suspect_times, start_time, iamalive_time)
        VALUES (@cluster_id, @address, @port, @generation, @silo_name, @host_name, @status, @suspect_times, @start_time, @iamalive_time)
        ON CONFLICT DO NOTHING
        """;

    private const string UpdateRowSql = """
        UPDATE switchboard_membership
        SET silo_name = @silo_name, host_name = @host_name, status = @status, suspect_times = @suspect_times,
            start_time = @start_time, iamalive_time = GREATEST(iamalive_time, @iamalive_time)
        WHERE cluster_id = @cluster_id AND address = @address AND port = @port AND generation = @generation
        """;

    private const string UpdateIAmAliveSql = """
        UPDATE switchboard_membership SET iamalive_time = @iamalive_time
        WHERE cluster_id = @cluster_id AND address = @address AND port = @port AND generation = @generation
        """;

    private const string CleanupSql = """
        DELETE FROM switchboard_membership
        WHERE cluster_id = @cluster_id AND status <> 3 AND GREATEST(start_time, iamalive_time) < @older_than
        """;

    private const string InsertVersionSql = """
        INSERT INTO switchboard_membership_version (cluster_id) VALUES (@cluster_id) ON CONFLICT DO NOTHING
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _clusterId;

    /// <summary>A table on its own data source built from <paramref name="connectionString"/> (disposed with it).</summary>
    public PostgresMembershipTable(string connectionString, string clusterId)
        : this(NpgsqlDataSource.Create(connectionString), clusterId, ownsDataSource: true)
    {
    }

    /// <summary>A table on a shared data source (not disposed with it).</summary>
    public PostgresMembershipTable(NpgsqlDataSource dataSource, string clusterId)
        : this(dataSource, clusterId, ownsDataSource: false)
    {
    }

    private PostgresMembershipTable(NpgsqlDataSource dataSource, string clusterId, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        _dataSource = dataSource;
        _clusterId = clusterId;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>The schema script embedded in this assembly.</summary>
    public static string LoadSchemaScript()
    {
        using var stream = typeof(PostgresMembershipTable).Assembly.GetManifestResourceStream(SchemaResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{SchemaResourceName}' is missing from {typeof(PostgresMembershipTable).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("key", SchemaLockKey));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(LoadSchemaScript(), connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(InsertVersionSql, connection, transaction))
        {
            AddClusterId(command);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<MembershipTableSnapshot> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(ReadAllSql);
        AddClusterId(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        long version = 0;
        var entries = new List<MembershipEntry>();
        // One statement, so the version and the rows come from the same MVCC snapshot.
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            version = reader.GetInt64(0);
            if (reader.IsDBNull(1))
            {
                continue;
            }

            entries.Add(new MembershipEntry
            {
                Silo = new SiloAddress(reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)),
                SiloName = reader.GetString(4),
                HostName = reader.GetString(5),
                Status = (SiloStatus)reader.GetInt32(6),
                SuspectTimes = SuspectTimesCodec.Decode(reader.IsDBNull(7) ? null : reader.GetString(7)),
                StartTime = reader.GetFieldValue<DateTimeOffset>(8),
                IAmAliveTime = reader.GetFieldValue<DateTimeOffset>(9),
            });
        }

        return new MembershipTableSnapshot(version, entries);
    }

    /// <inheritdoc />
    public Task<bool> InsertRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteRowAsync(InsertRowSql, entry, expectedVersion, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> UpdateRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteRowAsync(UpdateRowSql, entry, expectedVersion, cancellationToken);
    }

    /// <inheritdoc />
    public async Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        await using var command = _dataSource.CreateCommand(UpdateIAmAliveSql);
        AddClusterId(command);
        AddKey(command, silo);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("iamalive_time", time.ToUniversalTime()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CleanupDefunctEntriesAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(CleanupSql);
        AddClusterId(command);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("older_than", olderThan.ToUniversalTime()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> WriteRowAsync(string rowSql, MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        await using (var bump = new NpgsqlCommand(BumpVersionSql, connection, transaction))
        {
            AddClusterId(bump);
            bump.Parameters.Add(new NpgsqlParameter<long>("version", expectedVersion));
            if (await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }
        }

        await using (var write = new NpgsqlCommand(rowSql, connection, transaction))
        {
            AddClusterId(write);
            AddKey(write, entry.Silo);
            write.Parameters.Add(new NpgsqlParameter<string>("silo_name", entry.SiloName));
            write.Parameters.Add(new NpgsqlParameter<string>("host_name", entry.HostName));
            write.Parameters.Add(new NpgsqlParameter<int>("status", (int)entry.Status));
            write.Parameters.Add(new NpgsqlParameter("suspect_times", NpgsqlDbType.Text)
            {
                Value = (object?)SuspectTimesCodec.Encode(entry.SuspectTimes) ?? DBNull.Value,
            });
            write.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("start_time", entry.StartTime.ToUniversalTime()));
            write.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("iamalive_time", entry.IAmAliveTime.ToUniversalTime()));
            if (await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                // Insert of an existing row, or update of a missing one: undo the version bump.
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void AddClusterId(NpgsqlCommand command)
        => command.Parameters.Add(new NpgsqlParameter<string>("cluster_id", _clusterId));

    private static void AddKey(NpgsqlCommand command, SiloAddress silo)
    {
        command.Parameters.Add(new NpgsqlParameter<string>("address", silo.Host));
        command.Parameters.Add(new NpgsqlParameter<int>("port", silo.Port));
        command.Parameters.Add(new NpgsqlParameter<int>("generation", silo.Generation));
    }
}
