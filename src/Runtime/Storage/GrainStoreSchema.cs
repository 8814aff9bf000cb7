using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Switchboard.Runtime.Storage;

/// <summary>
/// Applies the embedded <c>grainstore.sql</c> (grain state and grain directory tables). Idempotent and safe to run from
/// many processes at once: the script runs in one transaction after <c>pg_advisory_xact_lock</c>, because concurrent
/// <c>CREATE TABLE IF NOT EXISTS</c> of the same table can still fail on the catalog's unique index.
/// </summary>
internal static class GrainStoreSchema
{
    /// <summary>Manifest resource name of the script (Runtime.csproj embeds *.sql by file name).</summary>
    public const string ResourceName = "grainstore.sql";

    // Advisory lock id of this script ("SWGRSTOR" in ASCII); other scripts (membership) use their own ids.
    private const long AdvisoryLockId = 0x5357_4752_5354_4F52;

    private static readonly Lazy<string> s_script = new(LoadScript);

    /// <summary>The script text.</summary>
    public static string Script => s_script.Value;

    /// <summary>Runs the script against <paramref name="dataSource"/>.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var started = Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@id)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("id", AdvisoryLockId);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(Script, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        StorageLog.SchemaApplied(logger, ResourceName, connection.Database, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static string LoadScript()
    {
        using var stream = typeof(GrainStoreSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing from {typeof(GrainStoreSchema).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
