using Microsoft.Extensions.Logging;

namespace Switchboard.Runtime.Diagnostics;

/// <summary>Log messages of the runtime component; event ids 1000-1099 are reserved for it.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Activation {GrainId} created")]
    public static partial void ActivationCreated(this ILogger logger, GrainId grainId);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Activation {GrainId} deactivated ({Reason})")]
    public static partial void ActivationDeactivated(this ILogger logger, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Activation {GrainId} failed; {PendingCount} waiting messages fail with it")]
    public static partial void ActivationFailed(this ILogger logger, Exception exception, GrainId grainId, int pendingCount);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "OnDeactivateAsync of {GrainId} failed ({Reason})")]
    public static partial void DeactivationFailed(this ILogger logger, Exception exception, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Timer callback of {GrainId} failed; the timer continues")]
    public static partial void TimerCallbackFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "One-way call {Method} on {GrainId} failed")]
    public static partial void OneWayFailed(this ILogger logger, Exception exception, GrainId grainId, string method);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Call {MethodId} of interface {InterfaceId} on {GrainId} timed out after {Timeout}; outcome unknown")]
    public static partial void CallTimedOut(this ILogger logger, GrainId grainId, uint interfaceId, ushort methodId, TimeSpan timeout);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Message rejected: {Description}")]
    public static partial void MessageRejected(this ILogger logger, Exception exception, string description);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Debug, Message = "Response #{RequestId} for {GrainId} arrived after its caller gave up")]
    public static partial void LateResponse(this ILogger logger, long requestId, GrainId grainId);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Idle collection scan failed")]
    public static partial void CollectionFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Silo {SiloId} started (response timeout {ResponseTimeout}, collection age {CollectionAge}, quantum {CollectionQuantum})")]
    public static partial void SiloStarted(this ILogger logger, string siloId, TimeSpan responseTimeout, TimeSpan collectionAge, TimeSpan collectionQuantum);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Silo {SiloId} stopping: deactivating {Count} activations")]
    public static partial void SiloStopping(this ILogger logger, string siloId, int count);
}
