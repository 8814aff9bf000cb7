using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Runtime.Configuration;

namespace Switchboard.Runtime.Storage;

/// <summary>
/// <see cref="IGrainStorage"/> on PostgreSQL (table <c>switchboard_grain_state</c> of <c>grainstore.sql</c>), scoped by
/// cluster id.
/// </summary>
/// <remarks>
/// <para>Invariants: every write and clear is one conditional statement, so the ETag check and the change are atomic
/// in the database, whoever else writes concurrently. Expected ETag null: <c>INSERT ... ON CONFLICT DO NOTHING</c>
/// (a row already there means someone else created it). Otherwise <c>UPDATE ... WHERE etag = expected</c>. Zero rows
/// affected is a lost race: <see cref="InconsistentStateException"/>. A clear deletes only the row with the expected
/// ETag and is a no-op when no row exists.</para>
/// <para>Failure modes: connection and timeout errors surface as <see cref="NpgsqlException"/> (callers such as
/// <see cref="IPersistentState{T}"/> wrap them with the grain and state). A write whose reply is lost may have been
/// applied: the caller's next write then conflicts, which is the safe direction.</para>
/// </remarks>
public sealed class PostgresGrainStorage : IGrainStorage, IAsyncDisposable
{
    private const string ReadSql =
        "SELECT etag, data FROM switchboard_grain_state WHERE cluster_id = @c AND grain_type = @t AND grain_key = @k AND state_name = @s";

    private const string InsertSql =
        "INSERT INTO switchboard_grain_state (cluster_id, grain_type, grain_key, state_name, etag, data, updated_at) "
        + "VALUES (@c, @t, @k, @s, @etag, @data, now()) ON CONFLICT DO NOTHING";

    private const string UpdateSql =
        "UPDATE switchboard_grain_state SET etag = @etag, data = @data, updated_at = now() "
        + "WHERE cluster_id = @c AND grain_type = @t AND grain_key = @k AND state_name = @s AND etag = @expected";

    // Deletes the row holding the expected ETag and reports, from the statement's snapshot, whether any row existed:
    // deleted = 0 with a row present is a conflict; no row at all is the documented no-op.
    private const string ClearSql =
        "WITH deleted AS (DELETE FROM switchboard_grain_state "
        + "WHERE cluster_id = @c AND grain_type = @t AND grain_key = @k AND state_name = @s AND etag = @expected RETURNING 1) "
        + "SELECT (SELECT count(*) FROM deleted), EXISTS (SELECT 1 FROM switchboard_grain_state "
        + "WHERE cluster_id = @c AND grain_type = @t AND grain_key = @k AND state_name = @s)";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _clusterId;
    private readonly ILogger<PostgresGrainStorage> _logger;
    private readonly StoreCircuitBreaker _circuit;

    /// <summary>Creates the storage on its own data source over <paramref name="connectionString"/> (disposed with it)
    /// for cluster <paramref name="clusterId"/>. Call <see cref="InitializeAsync"/> once before use.</summary>
    public PostgresGrainStorage(string connectionString, string clusterId, ILogger<PostgresGrainStorage> logger, TimeProvider? timeProvider = null)
        : this(ClusterDatabase.CreateOwned(connectionString), ownsDataSource: true, clusterId, logger, timeProvider ?? TimeProvider.System)
    {
    }

    /// <summary>Creates the storage on the process's shared pool (<see cref="ClusterDatabase"/>) for
    /// <see cref="ClusterOptions.ClusterId"/>.</summary>
    public PostgresGrainStorage(ClusterDatabase database, IOptions<ClusterOptions> options, ILogger<PostgresGrainStorage> logger, TimeProvider timeProvider)
        : this((database ?? throw new ArgumentNullException(nameof(database))).DataSource, ownsDataSource: false, (options ?? throw new ArgumentNullException(nameof(options))).Value.ClusterId, logger, timeProvider)
    {
    }

    private PostgresGrainStorage(NpgsqlDataSource dataSource, bool ownsDataSource, string clusterId, ILogger<PostgresGrainStorage> logger, TimeProvider timeProvider)
    {
        GrainStoreKeys.ValidateClusterId(clusterId);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _circuit = new StoreCircuitBreaker(timeProvider);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _clusterId = clusterId;
        _logger = logger;
    }

    /// <summary>Applies <c>grainstore.sql</c> (idempotent, serialized across processes by an advisory lock).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await GrainStoreSchema.ApplyAsync(_dataSource, _logger, cancellationToken).ConfigureAwait(false);
        StorageLog.ProviderStarted(_logger, nameof(PostgresGrainStorage), _clusterId, new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString).Database ?? string.Empty);
    }

    /// <summary>True while calls fail fast with <see cref="StoreUnavailableException"/> (see <see cref="StoreCircuitBreaker"/>).</summary>
    public bool IsCircuitOpen => _circuit.IsOpen;

    /// <inheritdoc />
    public Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
        => GuardAsync(() => ReadCoreAsync(grainId, stateName, cancellationToken));

    /// <inheritdoc />
    public Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
        => GuardAsync(() => WriteCoreAsync(grainId, stateName, data, expectedETag, cancellationToken));

    /// <inheritdoc />
    public Task ClearAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken)
        => GuardAsync(async () =>
        {
            await ClearCoreAsync(grainId, stateName, expectedETag, cancellationToken).ConfigureAwait(false);
            return true;
        });

    private async Task<GrainStateRecord?> ReadCoreAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        GrainStoreKeys.ValidateState(grainId, stateName);
        await using var command = Command(ReadSql, grainId, stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var etag = reader.GetString(0);
        var data = await reader.GetFieldValueAsync<byte[]>(1, cancellationToken).ConfigureAwait(false);
        return new GrainStateRecord(data, etag);
    }

    private async Task<string> WriteCoreAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        GrainStoreKeys.ValidateState(grainId, stateName);
        var etag = GrainStoreKeys.NewETag();
        await using var command = Command(expectedETag is null ? InsertSql : UpdateSql, grainId, stateName);
        command.Parameters.Add(new NpgsqlParameter<string>("etag", NpgsqlDbType.Varchar) { TypedValue = etag });
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("data", NpgsqlDbType.Bytea) { TypedValue = data });
        if (expectedETag is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string>("expected", NpgsqlDbType.Varchar) { TypedValue = expectedETag });
        }

        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            StorageLog.StateConflict(_logger, "Write", stateName, grainId, expectedETag ?? "(no record)");
            throw Conflict("Write", grainId, stateName, expectedETag);
        }

        return etag;
    }

    private async Task ClearCoreAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken)
    {
        GrainStoreKeys.ValidateState(grainId, stateName);
        await using var command = Command(ClearSql, grainId, stateName);
        // A null expectation matches no row (etag is NOT NULL): any existing row is then a conflict.
        command.Parameters.Add(new NpgsqlParameter("expected", NpgsqlDbType.Varchar) { Value = (object?)expectedETag ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var deleted = reader.GetInt64(0);
        var existed = reader.GetBoolean(1);
        if (deleted == 0 && existed)
        {
            StorageLog.StateConflict(_logger, "Clear", stateName, grainId, expectedETag ?? "(no record)");
            throw Conflict("Clear", grainId, stateName, expectedETag);
        }
    }

    // Every call goes through the circuit: while the database is unreachable, calls fail at once instead of each grain
    // trying a connection every second.
    private async Task<T> GuardAsync<T>(Func<Task<T>> operation)
    {
        _circuit.Enter();
        try
        {
            var result = await operation().ConfigureAwait(false);
            if (_circuit.OnSuccess())
            {
                StorageLog.CircuitClosed(_logger);
            }

            return result;
        }
        catch (InconsistentStateException)
        {
            // The server answered (with a conflict): it is reachable.
            if (_circuit.OnSuccess())
            {
                StorageLog.CircuitClosed(_logger);
            }

            throw;
        }
        catch (OperationCanceledException)
        {
            _circuit.OnCancelled();
            throw;
        }
        catch (Exception ex)
        {
            if (_circuit.OnFailure(ex))
            {
                StorageLog.CircuitOpened(_logger, ex, StoreCircuitBreaker.FailuresToOpen, StoreCircuitBreaker.FirstOpenPeriod.TotalMilliseconds, StoreCircuitBreaker.MaxOpenPeriod.TotalMilliseconds);
            }

            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    private NpgsqlCommand Command(string sql, GrainId grainId, string stateName)
    {
        var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string>("c", NpgsqlDbType.Varchar) { TypedValue = _clusterId });
        command.Parameters.Add(new NpgsqlParameter<string>("t", NpgsqlDbType.Varchar) { TypedValue = grainId.Type });
        command.Parameters.Add(new NpgsqlParameter<string>("k", NpgsqlDbType.Varchar) { TypedValue = grainId.Key });
        command.Parameters.Add(new NpgsqlParameter<string>("s", NpgsqlDbType.Varchar) { TypedValue = stateName });
        return command;
    }

    private static InconsistentStateException Conflict(string operation, GrainId grainId, string stateName, string? expectedETag)
        => new($"{operation} of state '{stateName}' of {grainId} refused: the stored ETag is not {expectedETag ?? "(no record)"}. "
            + "Another activation wrote since this one read.");
}
