using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;
using Switchboard.Runtime.Configuration;

namespace Switchboard.Runtime.Storage;

/// <summary>
/// The one PostgreSQL connection pool of a process: membership, grain directory and grain state share it.
/// </summary>
/// <remarks>
/// One pool per provider (three per silo, each growing to Npgsql's default of 100) multiplied the server's backends
/// for no gain: the providers' statements are short and their concurrency is low (1,000 calls checkpointing once a
/// second keep two or three connections busy). Every backend costs the server memory while it lives and CPU when
/// PostgreSQL stops or restarts and they all exit at once, which on a shared host steals the CPU the audio needs. So
/// the pool is bounded at <see cref="DefaultMaxPoolSize"/> unless the connection string sets <c>Maximum Pool Size</c>;
/// a caller beyond it waits for a connection, bounded by the connection string's <c>Timeout</c>.
/// </remarks>
public sealed class ClusterDatabase : IAsyncDisposable
{
    /// <summary>Pool bound used when the connection string does not set one.</summary>
    public const int DefaultMaxPoolSize = 10;

    // Npgsql's keyword and its synonym, compared without spaces or case as Npgsql does.
    private static readonly string[] PoolSizeKeywords = ["maximumpoolsize", "maxpoolsize"];

    /// <summary>Opens nothing yet: connections are made on first use.</summary>
    public ClusterDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        DataSource = NpgsqlDataSource.Create(WithPoolDefaults(connectionString));
    }

    /// <summary>Uses <see cref="ClusterOptions.ConnectionString"/> (<c>ConnectionStrings:Cluster</c>).</summary>
    public ClusterDatabase(IOptions<ClusterOptions> options)
        : this(RequireConnectionString(options))
    {
    }

    /// <summary>The shared data source; the providers use it and never dispose it.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The connection string with Switchboard's pool default applied where it sets none.</summary>
    public static string WithPoolDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant());
        if (!given.Any(PoolSizeKeywords.Contains))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        return builder.ConnectionString;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    /// <summary>A data source of its own for a provider created without the shared pool (tests, tools); the provider
    /// disposes it.</summary>
    internal static NpgsqlDataSource CreateOwned(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return NpgsqlDataSource.Create(connectionString);
    }

    private static string RequireConnectionString(IOptions<ClusterOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.Value.ConnectionString)
            ? throw new InvalidOperationException($"ConnectionStrings:{ClusterOptions.ConnectionStringName} is required when Cluster:Membership is Postgres, but was empty.")
            : options.Value.ConnectionString;
    }
}
