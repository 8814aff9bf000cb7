using Switchboard.Gateway.Security;
using Microsoft.Extensions.Logging;
using Switchboard.Gateway.Twilio;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>Log events of media-stream sessions (event ids 1000–1099). {ConnectionId} is the streamSid once
/// <c>start</c> arrived, a socket id before, and the HTTP connection's id for a request refused before any upgrade.</summary>
internal static partial class MediaStreamLog
{
    [LoggerMessage(EventId = 1000, EventName = "StreamOpened", Level = LogLevel.Information,
        Message = "WebSocket {ConnectionId} opened from {RemoteAddress}")]
    public static partial void StreamOpened(ILogger logger, string connectionId, string? remoteAddress);

    [LoggerMessage(EventId = 1001, EventName = "StreamConnected", Level = LogLevel.Debug,
        Message = "Stream {ConnectionId} from {RemoteAddress}: connected (protocol {Protocol} {Version})")]
    public static partial void StreamConnected(ILogger logger, string connectionId, string? remoteAddress, string protocol, string version);

    [LoggerMessage(EventId = 1002, EventName = "StreamStarted", Level = LogLevel.Information,
        Message = "Stream {ConnectionId} from {RemoteAddress} started: call {CallSid}, socket {SocketId}, attach took {ElapsedMs} ms")]
    public static partial void StreamStarted(ILogger logger, string connectionId, string? remoteAddress, string callSid, string socketId, double elapsedMs);

    [LoggerMessage(EventId = 1003, EventName = "StreamRejected", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress} refused by its grain: {Reason}")]
    public static partial void StreamRejected(ILogger logger, string connectionId, string? remoteAddress, string? reason);

    [LoggerMessage(EventId = 1035, EventName = "PlaybackStalled", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress} has not confirmed outbound audio for {Overdue} after it could have played ({PendingProbes} probe marks unanswered); the client stopped reading: closing with 1008")]
    public static partial void PlaybackStalled(ILogger logger, string connectionId, string? remoteAddress, TimeSpan overdue, int pendingProbes);

    [LoggerMessage(EventId = 1034, EventName = "DuplicateStreamRejected", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress} refused: {Reason}; the stream's socket is (or was) from {HolderRemoteAddress}. Closed with 1008, the holder untouched")]
    public static partial void DuplicateStreamRejected(ILogger logger, string connectionId, string? remoteAddress, string? reason, string? holderRemoteAddress);

    [LoggerMessage(EventId = 1024, EventName = "StreamTicketRejected", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress} refused before its grain: stream ticket {Check} for call {CallSid}")]
    public static partial void StreamTicketRejected(ILogger logger, string connectionId, string? remoteAddress, string callSid, StreamTicketCheck check);

    [LoggerMessage(EventId = 1004, EventName = "StreamStopped", Level = LogLevel.Information,
        Message = "Stream {ConnectionId} from {RemoteAddress} stopped by Twilio")]
    public static partial void StreamStopped(ILogger logger, string connectionId, string? remoteAddress);

    [LoggerMessage(EventId = 1005, EventName = "StreamClosed", Level = LogLevel.Information,
        Message = "Stream {ConnectionId} from {RemoteAddress} closed (status {CloseStatus}, {Reason}); malformed {Malformed}, dropped before start {Dropped}, media dropped {MediaDropped}, outbound trimmed {OutboundTrimmed}")]
    public static partial void StreamClosed(ILogger logger, string connectionId, string? remoteAddress, int? closeStatus, string reason, long malformed, long dropped, long mediaDropped, long outboundTrimmed);

    [LoggerMessage(EventId = 1006, EventName = "MalformedMessage", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress}: malformed message ({Error}: {Detail}); further ones on this stream are only counted")]
    public static partial void MalformedMessage(ILogger logger, string connectionId, string? remoteAddress, TwilioParseError error, string? detail);

    [LoggerMessage(EventId = 1007, EventName = "PreStartBufferFull", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress}: more than {Limit} messages before start; dropping (only counted from now on)")]
    public static partial void PreStartBufferFull(ILogger logger, string connectionId, string? remoteAddress, int limit);

    [LoggerMessage(EventId = 1008, EventName = "ProtocolViolation", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress}: {Violation}; closing with {CloseStatus}")]
    public static partial void ProtocolViolation(ILogger logger, string connectionId, string? remoteAddress, string violation, int closeStatus);

    [LoggerMessage(EventId = 1009, EventName = "GrainCallFailed", Level = LogLevel.Error,
        Message = "Stream {ConnectionId} from {RemoteAddress}: grain call {Operation} failed")]
    public static partial void GrainCallFailed(ILogger logger, Exception exception, string connectionId, string? remoteAddress, string operation);

    [LoggerMessage(EventId = 1010, EventName = "SocketBroken", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress}: socket broke without a close handshake")]
    public static partial void SocketBroken(ILogger logger, Exception exception, string connectionId, string? remoteAddress);

    [LoggerMessage(EventId = 1011, EventName = "SendFailed", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId}: sending to Twilio failed; outbound frames are dropped from now on")]
    public static partial void SendFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 1012, EventName = "LatencySpike", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress}: {Measurement} took {ElapsedMs} ms (threshold {ThresholdMs} ms)")]
    public static partial void LatencySpike(ILogger logger, string connectionId, string? remoteAddress, string measurement, double elapsedMs, double thresholdMs);

    [LoggerMessage(EventId = 1013, EventName = "CloseRequested", Level = LogLevel.Information,
        Message = "Stream {ConnectionId} from {RemoteAddress}: grain asked to close with {CloseStatus} ({Error}: {Reason})")]
    public static partial void CloseRequested(ILogger logger, string connectionId, string? remoteAddress, int closeStatus, Grains.ConnectionErrorCode error, string reason);

    // 1020+: the per-stream input limits (README, "Limits and security").
    [LoggerMessage(EventId = 1020, EventName = "UpgradeRequired", Level = LogLevel.Information,
        Message = "Request {ConnectionId} from {RemoteAddress} on the media-stream path is not a WebSocket upgrade; answered 400")]
    public static partial void UpgradeRequired(ILogger logger, string connectionId, string? remoteAddress);

    [LoggerMessage(EventId = 1021, EventName = "MediaDropped", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress}: media dropped ({Reason}: {Detail}); further ones on this stream are only counted")]
    public static partial void MediaDropped(ILogger logger, string connectionId, string? remoteAddress, string reason, string detail);

    [LoggerMessage(EventId = 1022, EventName = "OutboundTrimmed", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress}: send queue full ({Capacity} frames), the client is not keeping up; dropping the oldest queued frames (only counted from now on)")]
    public static partial void OutboundTrimmed(ILogger logger, string connectionId, string? remoteAddress, int capacity);

    [LoggerMessage(EventId = 1023, EventName = "SendStalled", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress}: a send made no progress for {Timeout}, the client stopped reading; aborting the socket")]
    public static partial void SendStalled(ILogger logger, string connectionId, string? remoteAddress, TimeSpan timeout);

    [LoggerMessage(EventId = 1030, EventName = "DeliveryRetrying", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress}: the connection grain did not acknowledge {Pending} inbound events; re-delivering")]
    public static partial void DeliveryRetrying(ILogger logger, Exception exception, string connectionId, string? remoteAddress, int pending);

    [LoggerMessage(EventId = 1031, EventName = "DeliveryRecovered", Level = LogLevel.Information,
        Message = "Stream {ConnectionId} from {RemoteAddress}: the connection grain acknowledged again after {Attempts} failed attempts in {ElapsedMs} ms")]
    public static partial void DeliveryRecovered(ILogger logger, string connectionId, string? remoteAddress, int attempts, double elapsedMs);

    [LoggerMessage(EventId = 1032, EventName = "DeliveryAbandoned", Level = LogLevel.Error,
        Message = "Stream {ConnectionId} from {RemoteAddress}: the connection grain was unreachable for {ElapsedMs} ms; {Pending} inbound events abandoned")]
    public static partial void DeliveryAbandoned(ILogger logger, string connectionId, string? remoteAddress, double elapsedMs, int pending);

    [LoggerMessage(EventId = 1033, EventName = "UndeliveredTrimmed", Level = LogLevel.Warning,
        Message = "Stream {ConnectionId} from {RemoteAddress}: more than {Limit} inbound events unacknowledged; dropping the oldest")]
    public static partial void UndeliveredTrimmed(ILogger logger, string connectionId, string? remoteAddress, int limit);
}
