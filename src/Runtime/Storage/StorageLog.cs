using Microsoft.Extensions.Logging;

namespace Switchboard.Runtime.Storage;

/// <summary>Log messages of grain storage and the grain directory providers; event ids 3300-3399.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3300, Level = LogLevel.Information,
        Message = "Schema {Script} applied to database {Database} in {ElapsedMs} ms")]
    public static partial void SchemaApplied(ILogger logger, string script, string database, double elapsedMs);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Debug,
        Message = "{Operation} of state {StateName} of {GrainId} refused: stored ETag is not {ExpectedETag}")]
    public static partial void StateConflict(ILogger logger, string operation, string stateName, GrainId grainId, string expectedETag);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Information,
        Message = "Grain directory: removed {Count} entries of silo {Silo}")]
    public static partial void SiloEntriesRemoved(ILogger logger, string silo, int count);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Information,
        Message = "Grain directory: {GrainId} taken over from {PreviousSilo} ({PreviousActivationId}) by {Silo} ({ActivationId})")]
    public static partial void EntryReplaced(ILogger logger, GrainId grainId, string previousSilo, string previousActivationId, string silo, string activationId);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Information,
        Message = "{Provider} started for cluster {ClusterId} on database {Database}")]
    public static partial void ProviderStarted(ILogger logger, string provider, string clusterId, string database);

    [LoggerMessage(EventId = 3305, Level = LogLevel.Warning,
        Message = "Grain storage circuit open after {Failures} consecutive connection failures: storage calls fail at once, one probe every {FirstMs:0}-{MaxMs:0} ms until the database answers")]
    public static partial void CircuitOpened(ILogger logger, Exception exception, int failures, double firstMs, double maxMs);

    [LoggerMessage(EventId = 3306, Level = LogLevel.Information, Message = "Grain storage circuit closed: the database answers again")]
    public static partial void CircuitClosed(ILogger logger);
}
