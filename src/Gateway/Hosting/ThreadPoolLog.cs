using Microsoft.Extensions.Logging;

namespace Switchboard.Gateway.Hosting;

/// <summary>Log events of <see cref="ThreadPoolDelayMonitor"/> (ids kept from the runtime they came from).</summary>
internal static partial class ThreadPoolLog
{
    [LoggerMessage(EventId = 1012, EventName = "ThreadPoolStalled", Level = LogLevel.Warning,
        Message = "Thread pool stalled: work waited {DelayMs:0} ms to start ({ThreadCount} threads, {QueuedCount} items queued); every call on this node is held until it clears")]
    public static partial void ThreadPoolStalled(ILogger logger, double delayMs, int threadCount, long queuedCount);

    [LoggerMessage(EventId = 1013, EventName = "ThreadPoolRecovered", Level = LogLevel.Information,
        Message = "Thread pool stall cleared (worst wait {WorstMs:0} ms, {ThreadCount} threads)")]
    public static partial void ThreadPoolRecovered(ILogger logger, double worstMs, int threadCount);
}
