using Microsoft.Extensions.Logging;

namespace Switchboard.Grains.Connection;

/// <summary>Source-generated log events of connection checkpoints (event ids 3400-3499).</summary>
internal static partial class ConnectionCheckpointLog
{
    [LoggerMessage(EventId = 3400, Level = LogLevel.Information,
        Message = "Connection {ConnectionId} restored from its checkpoint: state {State}, last sequence {SequenceNumber}, {PendingMarks} pending marks, gateway {GatewayId}")]
    public static partial void Restored(ILogger logger, string connectionId, ConnectionState state, long sequenceNumber, int pendingMarks, string gatewayId);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} checkpoint write ({Trigger}) failed; the call continues and the next tick retries")]
    public static partial void WriteFailed(ILogger logger, string connectionId, string trigger, Exception exception);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} checkpoint was written by another activation; this activation stops writing and deactivates")]
    public static partial void SteppedDown(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 3403, Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} could not clear its checkpoint after the retention period")]
    public static partial void ClearFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 3404, Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} checkpoint written ({Trigger}): state {State}, last sequence {SequenceNumber}, {PendingMarks} pending marks")]
    public static partial void Written(ILogger logger, string connectionId, string trigger, ConnectionState state, long sequenceNumber, int pendingMarks);

    [LoggerMessage(EventId = 3405, Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} checkpoint cleared after the retention period")]
    public static partial void Cleared(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 3406, EventName = "WriteStillFailing", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} checkpoint write ({Trigger}) failed again ({Failures} in a row): {Reason}")]
    public static partial void WriteStillFailing(ILogger logger, string connectionId, string trigger, int failures, string reason);

    [LoggerMessage(EventId = 3407, EventName = "WriteRecovered", Level = LogLevel.Information,
        Message = "Connection {ConnectionId} checkpoint written again ({Trigger}) after {Failures} failed writes")]
    public static partial void WriteRecovered(ILogger logger, string connectionId, string trigger, int failures);
}
