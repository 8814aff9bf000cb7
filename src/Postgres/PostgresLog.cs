using Microsoft.Extensions.Logging;

namespace Switchboard.Postgres;

/// <summary>Log events of the PostgreSQL schema and data source (event ids 4500–4599).</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(EventId = 4500, EventName = "SchemaApplied", Level = LogLevel.Information,
        Message = "PostgreSQL schema: applied version {Version} ({Script}) to database {Database} on {Host} in {ElapsedMs} ms")]
    public static partial void SchemaApplied(ILogger logger, int version, string script, string? database, string? host, long elapsedMs);

    [LoggerMessage(EventId = 4501, EventName = "SchemaCurrent", Level = LogLevel.Information,
        Message = "PostgreSQL schema: already at version {Version} in database {Database} on {Host} (waited {ElapsedMs} ms for the schema lock and check)")]
    public static partial void SchemaCurrent(ILogger logger, int version, string? database, string? host, long elapsedMs);

    [LoggerMessage(EventId = 4502, EventName = "SchemaFailed", Level = LogLevel.Error,
        Message = "PostgreSQL schema: {Step} failed for database {Database} on {Host}")]
    public static partial void SchemaFailed(ILogger logger, Exception exception, string step, string? database, string? host);
}
