using Microsoft.Extensions.Logging;

namespace Switchboard.Gateway.Configuration;

/// <summary>Log events of gateway configuration (event ids 1300–1399).</summary>
internal static partial class ConfigurationLog
{
    [LoggerMessage(EventId = 1300, EventName = "GatewayOptionsEffective", Level = LogLevel.Information,
        Message = "Gateway {NodeId}: public URL {PublicUrl}, signature validation {SignaturesOn}, max message {MaxMessageBytes} B, pre-start buffer {MaxBufferedBeforeStart}, ping every {KeepAliveInterval} (timeout {KeepAliveTimeout}), health report every {HealthReportPeriod}")]
    public static partial void GatewayOptionsEffective(ILogger logger, string nodeId, string publicUrl, bool signaturesOn, int maxMessageBytes,
        int maxBufferedBeforeStart, TimeSpan keepAliveInterval, TimeSpan keepAliveTimeout, TimeSpan healthReportPeriod);

    [LoggerMessage(EventId = 1310, EventName = "GatewayInputLimitsEffective", Level = LogLevel.Information,
        Message = "Gateway {NodeId} input limits: allowed origins {AllowedOrigins}, malformed messages per stream {MaxMalformedMessages}, media payload {MaxMediaPayloadBytes} B, send queue {OutboundQueueCapacity} frames, send stall {SendStallTimeout}")]
    public static partial void GatewayInputLimitsEffective(ILogger logger, string nodeId, string allowedOrigins, int maxMalformedMessages, int maxMediaPayloadBytes,
        int outboundQueueCapacity, TimeSpan sendStallTimeout);
}
