using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Switchboard.Postgres;

/// <summary>
/// Builds the process's one <see cref="NpgsqlDataSource"/>: one connection pool shared by the schema step, membership
/// and grain storage, so the number of connections a process opens is bounded by a single setting.
/// </summary>
public static class PostgresDataSource
{
    /// <summary>
    /// The pool cap used when the connection string sets no <c>Maximum Pool Size</c>. Npgsql's own default (100) times
    /// the silos and gateways of a cluster would exceed a small server's <c>max_connections</c>; membership and
    /// grain storage need a handful of connections per process.
    /// </summary>
    public const int DefaultMaxPoolSize = 10;

    /// <summary>Creates the data source; the caller owns and disposes it (DI does, when registered as a singleton).</summary>
    /// <param name="connectionString">An Npgsql connection string. <c>Maximum Pool Size</c> is kept if set, else capped at <see cref="DefaultMaxPoolSize"/>.</param>
    /// <param name="loggerFactory">Npgsql's logging goes here when given.</param>
    /// <exception cref="ArgumentException">The connection string is empty or not a valid Npgsql connection string.</exception>
    public static NpgsqlDataSource Create(string connectionString, ILoggerFactory? loggerFactory = null)
    {
        var builder = new NpgsqlDataSourceBuilder(WithPoolCap(connectionString));
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        return builder.Build();
    }

    /// <summary>The connection string with <c>Maximum Pool Size</c> filled in when absent (as <c>Maximum Pool Size</c> or its alias <c>MaxPoolSize</c>).</summary>
    internal static string WithPoolCap(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            // Npgsql's message names the keyword but not the setting; never echo the string (it may hold a password).
            throw new ArgumentException($"The PostgreSQL connection string is not valid: {exception.Message}", nameof(connectionString), exception);
        }

        // The typed builder reports its default (100) whether or not the key was written, so look at the raw keys.
        var raw = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var poolSizeSet = raw.Keys.Cast<string>().Any(key =>
            key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() is "MAXPOOLSIZE" or "MAXIMUMPOOLSIZE");
        if (!poolSizeSet)
        {
            // A larger Minimum Pool Size would make Npgsql reject the string; keep it valid.
            parsed.MaxPoolSize = Math.Max(DefaultMaxPoolSize, parsed.MinPoolSize);
        }

        return parsed.ConnectionString;
    }
}
