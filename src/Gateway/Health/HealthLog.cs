using Microsoft.Extensions.Logging;

namespace Switchboard.Gateway.Health;

/// <summary>Log events of health reporting and the /health endpoint (event ids 1200–1299).</summary>
internal static partial class HealthLog
{
    [LoggerMessage(EventId = 1200, EventName = "HealthReportFailed", Level = LogLevel.Warning,
        Message = "Gateway {NodeId} could not report health ({Connections} open streams)")]
    public static partial void HealthReportFailed(ILogger logger, Exception exception, string nodeId, int connections);

    [LoggerMessage(EventId = 1201, EventName = "HealthQueryFailed", Level = LogLevel.Warning,
        Message = "GET /health could not reach the health grain")]
    public static partial void HealthQueryFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1202, EventName = "HealthReporterStarted", Level = LogLevel.Information,
        Message = "Gateway {NodeId} reporting health every {Period}")]
    public static partial void HealthReporterStarted(ILogger logger, string nodeId, TimeSpan period);

    [LoggerMessage(EventId = 1203, EventName = "LatencySpike", Level = LogLevel.Warning,
        Message = "Gateway {NodeId}: health grain call took {ElapsedMs} ms (threshold {ThresholdMs} ms)")]
    public static partial void LatencySpike(ILogger logger, string nodeId, double elapsedMs, double thresholdMs);
}
