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

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Thread pool stalled: work waited {DelayMs:0} ms to start ({ThreadCount} threads, {QueuedCount} items queued); every call on this node is held until it clears")]
    public static partial void ThreadPoolStalled(this ILogger logger, double delayMs, int threadCount, long queuedCount);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Thread pool stall cleared (worst wait {WorstMs:0} ms, {ThreadCount} threads)")]
    public static partial void ThreadPoolRecovered(this ILogger logger, double worstMs, int threadCount);

    [LoggerMessage(EventId = 3200, Level = LogLevel.Debug, Message = "Response #{RequestId} could not be delivered to {NodeId}: the requester is unreachable")]
    public static partial void ResponseUndeliverable(this ILogger logger, long requestId, string nodeId);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Resolving {GrainId} failed; retrying")]
    public static partial void ResolveFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Error, Message = "Gave up {Count} held messages to {GrainId}: no silo took the grain within {Timeout}")]
    public static partial void FailoverAbandoned(this ILogger logger, GrainId grainId, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "{GrainId} moved from {PreviousSilo} to {Silo} after {ElapsedMs:0} ms; {HeldCount} held messages delivered in order")]
    public static partial void GrainRelocated(this ILogger logger, GrainId grainId, string previousSilo, string silo, double elapsedMs, int heldCount);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Information, Message = "Directory entry of {GrainId} on dead silo {Silo} removed; the grain is placed anew")]
    public static partial void StaleEntryRemoved(this ILogger logger, GrainId grainId, string silo);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Warning, Message = "One-way message to {GrainId} dropped: {Reason}")]
    public static partial void MessageDropped(this ILogger logger, GrainId grainId, string reason);

    [LoggerMessage(EventId = 3206, Level = LogLevel.Information, Message = "Activation of {GrainId} lost the registration race to {Winner}; {Count} messages forwarded there")]
    public static partial void DuplicateActivationForwarded(this ILogger logger, GrainId grainId, string winner, int count);

    [LoggerMessage(EventId = 3207, Level = LogLevel.Warning, Message = "Could not unregister {GrainId} from the directory")]
    public static partial void UnregisterFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 3208, Level = LogLevel.Warning, Message = "{Count} pending calls to {NodeId} failed at once: the node is unreachable")]
    public static partial void PendingCallsFailed(this ILogger logger, int count, string nodeId);

    [LoggerMessage(EventId = 3210, Level = LogLevel.Information, Message = "Silo {SiloAddress} is Active, listening on {Endpoint}")]
    public static partial void ClusterSiloActive(this ILogger logger, string siloAddress, string endpoint);

    [LoggerMessage(EventId = 3211, Level = LogLevel.Information, Message = "Silo {SiloAddress} shutting down: handing off {Count} activations")]
    public static partial void ClusterSiloLeaving(this ILogger logger, string siloAddress, int count);

    [LoggerMessage(EventId = 3212, Level = LogLevel.Information, Message = "Silo {SiloAddress} left the cluster after {ElapsedMs:0} ms")]
    public static partial void ClusterSiloLeft(this ILogger logger, string siloAddress, double elapsedMs);

    [LoggerMessage(EventId = 3213, Level = LogLevel.Critical, Message = "Silo {SiloId} was declared dead by the cluster; stopping the process (a dead identity never comes back)")]
    public static partial void ClusterSiloDeclaredDead(this ILogger logger, string siloId);

    [LoggerMessage(EventId = 3214, Level = LogLevel.Information, Message = "Cluster client {ClientId} started; {SiloCount} active silos")]
    public static partial void ClusterClientStarted(this ILogger logger, string clientId, int siloCount);

    [LoggerMessage(EventId = 3215, Level = LogLevel.Information, Message = "Removed {Count} directory entries of dead silo {Silo}")]
    public static partial void DeadSiloEntriesRemoved(this ILogger logger, string silo, int count);

    [LoggerMessage(EventId = 3216, Level = LogLevel.Warning, Message = "Could not remove the directory entries of dead silo {Silo}; they are taken over one by one when called")]
    public static partial void DeadSiloCleanupFailed(this ILogger logger, Exception exception, string silo);
}
