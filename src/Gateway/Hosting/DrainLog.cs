using Microsoft.Extensions.Logging;

namespace Switchboard.Gateway.Hosting;

/// <summary>Log events of the gateway-only host and its draining (event ids 1250-1259).</summary>
internal static partial class DrainLog
{
    [LoggerMessage(EventId = 1250, EventName = "DrainStarted", Level = LogLevel.Information,
        Message = "Gateway draining: refusing new streams, waiting up to {Timeout} for {OpenStreams} open streams to end")]
    public static partial void DrainStarted(ILogger logger, int openStreams, TimeSpan timeout);

    [LoggerMessage(EventId = 1251, EventName = "DrainFinished", Level = LogLevel.Information,
        Message = "Gateway drain finished after {ElapsedMs:0} ms with {OpenStreams} streams still open (they are closed now)")]
    public static partial void DrainFinished(ILogger logger, int openStreams, double elapsedMs);

    [LoggerMessage(EventId = 1252, EventName = "StreamRefusedDraining", Level = LogLevel.Information,
        Message = "Media stream upgrade from {RemoteAddress} refused with 503: the gateway is draining")]
    public static partial void StreamRefusedDraining(ILogger logger, string? remoteAddress);

    [LoggerMessage(EventId = 1253, EventName = "GatewayListening", Level = LogLevel.Information,
        Message = "Gateway listening on {Address} (cluster mode)")]
    public static partial void GatewayListening(ILogger logger, string address);
}
