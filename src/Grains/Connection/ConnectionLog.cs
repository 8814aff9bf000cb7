using Microsoft.Extensions.Logging;

namespace Switchboard.Grains.Connection;

/// <summary>Source-generated log events of the connection subsystem (event ids 2000-2099).</summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(EventId = 2000, EventName = "StateChanged", Level = LogLevel.Information,
        Message = "Connection {ConnectionId} state {From} -> {To} (error {Error})")]
    public static partial void StateChanged(ILogger logger, string connectionId, ConnectionState from, ConnectionState to, ConnectionErrorCode error);

    [LoggerMessage(EventId = 2001, EventName = "IllegalTransition", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} refused illegal transition {From} -> {To} (error {Error})")]
    public static partial void IllegalTransition(ILogger logger, string connectionId, ConnectionState from, ConnectionState to, ConnectionErrorCode error);

    [LoggerMessage(EventId = 2002, EventName = "RateLimitEpisodeStarted", Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} over its inbound rate limit ({RatePerSecond}/s, burst {Burst}); dropping messages")]
    public static partial void RateLimitEpisodeStarted(ILogger logger, string connectionId, double ratePerSecond, double burst);

    [LoggerMessage(EventId = 2003, EventName = "RateLimitSustained", Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} over its rate limit for {Duration}; closing with 1008 (error {Error})")]
    public static partial void RateLimitSustained(ILogger logger, string connectionId, TimeSpan duration, ConnectionErrorCode error);

    [LoggerMessage(EventId = 2004, EventName = "HeartbeatTimeout", Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} received no message for {Silence}; closing (error {Error})")]
    public static partial void HeartbeatTimeout(ILogger logger, string connectionId, TimeSpan silence, ConnectionErrorCode error);

    [LoggerMessage(EventId = 2005, EventName = "LatencySpike", Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} latency spike: round trip {RoundTripMs} ms over {ThresholdMs} ms")]
    public static partial void LatencySpike(ILogger logger, string connectionId, double roundTripMs, double thresholdMs);

    [LoggerMessage(EventId = 2007, EventName = "UnexpectedMark", Level = LogLevel.Debug,
        Message = "Connection {ConnectionId} unexpected mark echo {MarkName} (skipped {Skipped} pending marks)")]
    public static partial void UnexpectedMark(ILogger logger, string connectionId, string markName, int skipped);

    [LoggerMessage(EventId = 2008, EventName = "HandlerFault", Level = LogLevel.Error,
        Message = "Connection {ConnectionId} call handler failed in {Callback}")]
    public static partial void HandlerFault(ILogger logger, string connectionId, string callback, Exception exception);

    [LoggerMessage(EventId = 2009, EventName = "OutboundDropped", Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} dropped outbound batch {Sequence} ({Frames} frames): the gateway observer did not answer within the retry window")]
    public static partial void OutboundDropped(ILogger logger, string connectionId, long sequence, int frames, Exception exception);

    [LoggerMessage(EventId = 2010, EventName = "StartRefused", Level = LogLevel.Information,
        Message = "Connection {ConnectionId} refused start from gateway {GatewayId} for {RemoteAddress}: {Reason} (holder {HolderRemoteAddress})")]
    public static partial void StartRefused(ILogger logger, string connectionId, string gatewayId, string? remoteAddress, string reason, string? holderRemoteAddress);

    [LoggerMessage(EventId = 2011, EventName = "SequenceAnomaly", Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} inbound sequence {Observation} at {SequenceNumber} (highest {Highest}); counted, further anomalies on this stream are only counted")]
    public static partial void SequenceAnomaly(ILogger logger, string connectionId, SequenceObservation observation, long sequenceNumber, long highest);
}
