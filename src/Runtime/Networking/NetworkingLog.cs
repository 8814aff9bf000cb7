using Microsoft.Extensions.Logging;

namespace Switchboard.Runtime.Networking;

/// <summary>Log messages of the cluster transport; event ids 3000-3099 are reserved for it.</summary>
internal static partial class NetworkingLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Node {NodeId} listening for cluster connections on {EndPoint}")]
    public static partial void Listening(this ILogger logger, string nodeId, string endPoint);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Refused handshake with {PeerNodeId} at {RemoteEndPoint}: {Reason}")]
    public static partial void HandshakeRefused(this ILogger logger, string peerNodeId, string? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Node at {RemoteEndPoint} refused our handshake for {PeerNodeId}: {Reason}")]
    public static partial void HandshakeRefusedByPeer(this ILogger logger, string peerNodeId, string? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Connecting to {PeerNodeId} failed: {Reason}; {DroppedCount} queued messages dropped")]
    public static partial void ConnectFailed(this ILogger logger, Exception? exception, string peerNodeId, string reason, long droppedCount);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "{Direction} connection with {PeerNodeId} established ({RemoteEndPoint})")]
    public static partial void ConnectionEstablished(this ILogger logger, ConnectionDirection direction, string peerNodeId, string? remoteEndPoint);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "{Direction} connection with {PeerNodeId} closed: {Reason}; {DroppedCount} queued messages dropped")]
    public static partial void ConnectionClosed(this ILogger logger, Exception? exception, ConnectionDirection direction, string peerNodeId, string reason, long droppedCount);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Handshake from {RemoteEndPoint} failed: {Reason}")]
    public static partial void InboundHandshakeFailed(this ILogger logger, Exception? exception, string? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Message for {Destination} arrived at {NodeId} and nobody handles misrouted messages; dropped: {Description}")]
    public static partial void MisroutedMessageDropped(this ILogger logger, string? destination, string nodeId, string description);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Accepting a cluster connection failed")]
    public static partial void AcceptFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Error, Message = "A {EventName} handler threw for {PeerNodeId}")]
    public static partial void EventHandlerFailed(this ILogger logger, Exception exception, string eventName, string? peerNodeId);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Node {PeerNodeId} marked dead: {ConnectionCount} connections closed, its handshakes are refused from now on")]
    public static partial void MarkedDead(this ILogger logger, string peerNodeId, int connectionCount);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Error, Message = "The message receiver threw for {Description}; the connection continues")]
    public static partial void ReceiverFailed(this ILogger logger, Exception exception, string description);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Message to {PeerNodeId} refused: it is larger than Networking:MaxFrameBytes ({MaxFrameBytes}) or lacks a target or sender: {Description}")]
    public static partial void MessageNotEncodable(this ILogger logger, string peerNodeId, int maxFrameBytes, string description);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Node {NodeId} transport stopped; {ConnectionCount} connections closed")]
    public static partial void Stopped(this ILogger logger, string nodeId, int connectionCount);

    [LoggerMessage(EventId = 3050, EventName = "PeerLeaving", Level = LogLevel.Information,
        Message = "Node {NodeId} announced it is leaving; nothing more is sent to it")]
    public static partial void PeerLeaving(this ILogger logger, string nodeId);

    [LoggerMessage(EventId = 3051, EventName = "LeavingAnnounced", Level = LogLevel.Information,
        Message = "Told {ConnectionCount} connections this node is leaving; {Unanswered} did not answer in time")]
    public static partial void LeavingAnnounced(this ILogger logger, int connectionCount, int unanswered);
}
