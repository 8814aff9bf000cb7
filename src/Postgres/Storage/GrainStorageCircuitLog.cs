using Microsoft.Extensions.Logging;

namespace Switchboard.Postgres.Storage;

/// <summary>Log events of the grain storage circuit breaker (event ids 4550–4559, inside Switchboard.Postgres' 4500–4599).</summary>
internal static partial class GrainStorageCircuitLog
{
    [LoggerMessage(EventId = 4550, EventName = "CircuitBreakerConfigured", Level = LogLevel.Information,
        Message = "Grain storage {StorageName}: circuit breaker opens after {FailureThreshold} failures to reach the database within {SamplingMs} ms, then lets one probe through after {BreakMs}-{MaxBreakMs} ms")]
    public static partial void Configured(ILogger logger, string storageName, int failureThreshold, double samplingMs, double breakMs, double maxBreakMs);

    [LoggerMessage(EventId = 4551, EventName = "CircuitOpened", Level = LogLevel.Warning,
        Message = "Grain storage {StorageName}: circuit opened for {BreakMs} ms after failures to reach the database; storage calls fail at once with GrainStorageUnavailableException")]
    public static partial void Opened(ILogger logger, Exception? exception, string storageName, double breakMs);

    [LoggerMessage(EventId = 4552, EventName = "CircuitHalfOpened", Level = LogLevel.Information,
        Message = "Grain storage {StorageName}: circuit half-open, the next call probes the database")]
    public static partial void HalfOpened(ILogger logger, string storageName);

    [LoggerMessage(EventId = 4553, EventName = "CircuitClosed", Level = LogLevel.Information,
        Message = "Grain storage {StorageName}: circuit closed, the database answered the probe ({Outcome})")]
    public static partial void Closed(ILogger logger, Exception? exception, string storageName, string outcome);
}
