using Microsoft.Extensions.Logging;

namespace Switchboard.Grains.Health;

/// <summary>Source-generated log events of the health subsystem (event ids 2100-2199).</summary>
internal static partial class HealthLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning,
        Message = "Cluster health {From} -> {To}: {Reasons}")]
    public static partial void StatusChanged(ILogger logger, HealthStatus? from, HealthStatus to, string reasons);
}
