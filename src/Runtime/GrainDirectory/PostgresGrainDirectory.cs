using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Storage;

namespace Switchboard.Runtime.GrainDirectory;

/// <summary>
/// <see cref="IGrainDirectory"/> on PostgreSQL (table <c>switchboard_grain_directory</c> of <c>grainstore.sql</c>),
/// scoped by cluster id.
/// </summary>
/// <remarks>
/// <para>Invariants: registration is a single <c>INSERT ... ON CONFLICT DO UPDATE ... RETURNING</c>. The primary key makes
/// exactly one insert win; every concurrent loser waits for the winner's row, locks it, and gets it back through
/// RETURNING. The update on conflict rewrites the row with its own values unless the row is exactly
/// <c>previous</c> (then it takes the new address), so the compare and the replace happen under one row lock. A plain
/// INSERT ... DO NOTHING followed by a SELECT would not do: the SELECT's snapshot can miss a row that the conflict check
/// saw, or the row can be deleted between the two statements.</para>
/// <para>Unregister deletes only the exact (silo, activation id); UnregisterSilo deletes every row naming the silo text,
/// including its generation, so a restarted process on the same endpoint keeps its own entries.</para>
/// <para>Failure modes: store errors surface as <see cref="NpgsqlException"/>. A registration whose reply is lost may have
/// been applied; registering the same address again returns it (idempotent).</para>
/// </remarks>
public sealed class PostgresGrainDirectory : IGrainDirectory, IAsyncDisposable
{
    private const string LookupSql =
        "SELECT silo, activation_id FROM switchboard_grain_directory WHERE cluster_id = @c AND grain_type = @t AND grain_key = @k";

    private const string RegisterSql =
        "INSERT INTO switchboard_grain_directory AS d (cluster_id, grain_type, grain_key, silo, activation_id, created_at) "
        + "VALUES (@c, @t, @k, @silo, @activation, now()) "
        + "ON CONFLICT (cluster_id, grain_type, grain_key) DO UPDATE SET "
        + "silo = CASE WHEN d.silo = @previous_silo AND d.activation_id = @previous_activation THEN EXCLUDED.silo ELSE d.silo END, "
        + "activation_id = CASE WHEN d.silo = @previous_silo AND d.activation_id = @previous_activation THEN EXCLUDED.activation_id ELSE d.activation_id END, "
        + "created_at = CASE WHEN d.silo = @previous_silo AND d.activation_id = @previous_activation THEN EXCLUDED.created_at ELSE d.created_at END "
        + "RETURNING silo, activation_id";

    private const string UnregisterSql =
        "DELETE FROM switchboard_grain_directory WHERE cluster_id = @c AND grain_type = @t AND grain_key = @k AND silo = @silo AND activation_id = @activation";

    private const string UnregisterSiloSql =
        "DELETE FROM switchboard_grain_directory WHERE cluster_id = @c AND silo = @silo";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly string _clusterId;
    private readonly ILogger<PostgresGrainDirectory> _logger;

    /// <summary>Creates the directory on its own data source over <paramref name="connectionString"/> (disposed with it)
    /// for cluster <paramref name="clusterId"/>. Call <see cref="InitializeAsync"/> once before use.</summary>
    public PostgresGrainDirectory(string connectionString, string clusterId, ILogger<PostgresGrainDirectory> logger)
        : this(ClusterDatabase.CreateOwned(connectionString), ownsDataSource: true, clusterId, logger)
    {
    }

    /// <summary>Creates the directory on the process's shared pool (<see cref="ClusterDatabase"/>) for
    /// <see cref="ClusterOptions.ClusterId"/>.</summary>
    public PostgresGrainDirectory(ClusterDatabase database, IOptions<ClusterOptions> options, ILogger<PostgresGrainDirectory> logger)
        : this((database ?? throw new ArgumentNullException(nameof(database))).DataSource, ownsDataSource: false, (options ?? throw new ArgumentNullException(nameof(options))).Value.ClusterId, logger)
    {
    }

    private PostgresGrainDirectory(NpgsqlDataSource dataSource, bool ownsDataSource, string clusterId, ILogger<PostgresGrainDirectory> logger)
    {
        GrainStoreKeys.ValidateClusterId(clusterId);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _clusterId = clusterId;
        _logger = logger;
    }

    /// <summary>Applies <c>grainstore.sql</c> (idempotent, serialized across processes by an advisory lock).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await GrainStoreSchema.ApplyAsync(_dataSource, _logger, cancellationToken).ConfigureAwait(false);
        StorageLog.ProviderStarted(_logger, nameof(PostgresGrainDirectory), _clusterId, new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString).Database ?? string.Empty);
    }

    /// <inheritdoc />
    public async Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        GrainStoreKeys.ValidateGrain(grainId);
        await using var command = Command(LookupSql, grainId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAddress(reader, grainId) : null;
    }

    /// <inheritdoc />
    public async Task<GrainAddress> RegisterAsync(GrainAddress address, GrainAddress? previous, CancellationToken cancellationToken)
    {
        GrainStoreKeys.ValidateAddress(address);
        if (previous is not null && previous.GrainId != address.GrainId)
        {
            throw new ArgumentException($"previous names {previous.GrainId}, but address names {address.GrainId}.", nameof(previous));
        }

        await using var command = Command(RegisterSql, address.GrainId);
        AddVarchar(command, "silo", address.Silo.ToString());
        AddVarchar(command, "activation", address.ActivationId);
        // Null previous: the CASE conditions are NULL, so a conflicting row always keeps its own values.
        AddVarchar(command, "previous_silo", previous?.Silo.ToString());
        AddVarchar(command, "previous_activation", previous?.ActivationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Registering {address.GrainId} returned no row; INSERT ... ON CONFLICT DO UPDATE always returns one.");
        }

        var winner = ReadAddress(reader, address.GrainId);
        if (previous is not null && winner == address)
        {
            StorageLog.EntryReplaced(_logger, address.GrainId, previous.Silo.ToString(), previous.ActivationId, address.Silo.ToString(), address.ActivationId);
        }

        return winner;
    }

    /// <inheritdoc />
    public async Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        GrainStoreKeys.ValidateAddress(address);
        await using var command = Command(UnregisterSql, address.GrainId);
        AddVarchar(command, "silo", address.Silo.ToString());
        AddVarchar(command, "activation", address.ActivationId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> UnregisterSiloAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        await using var command = _dataSource.CreateCommand(UnregisterSiloSql);
        AddVarchar(command, "c", _clusterId);
        AddVarchar(command, "silo", silo.ToString());
        var removed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        StorageLog.SiloEntriesRemoved(_logger, silo.ToString(), removed);
        return removed;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    private NpgsqlCommand Command(string sql, GrainId grainId)
    {
        var command = _dataSource.CreateCommand(sql);
        AddVarchar(command, "c", _clusterId);
        AddVarchar(command, "t", grainId.Type);
        AddVarchar(command, "k", grainId.Key);
        return command;
    }

    private static void AddVarchar(NpgsqlCommand command, string name, string? value)
        => command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Varchar) { Value = (object?)value ?? DBNull.Value });

    private static GrainAddress ReadAddress(NpgsqlDataReader reader, GrainId grainId)
    {
        var siloText = reader.GetString(0);
        return SiloAddress.TryParse(siloText, out var silo)
            ? new GrainAddress(grainId, silo, reader.GetString(1))
            : throw new FormatException($"Grain directory entry of {grainId} names silo '{siloText}', which is not host:port@generation.");
    }
}
