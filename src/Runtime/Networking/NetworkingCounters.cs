namespace Switchboard.Runtime.Networking;

/// <summary>Totals of a <see cref="ConnectionManager"/> since it started (live and closed connections together).</summary>
/// <param name="FramesSent">Frames flushed to sockets (messages, handshakes excluded, pings and pongs).</param>
/// <param name="MessagesSent">Message frames flushed to sockets.</param>
/// <param name="Flushes">Socket flushes; fewer than <paramref name="MessagesSent"/> when messages were batched.</param>
/// <param name="FramesReceived">Frames decoded after handshakes.</param>
/// <param name="MessagesReceived">Message frames decoded (delivered or misrouted).</param>
/// <param name="MessagesDropped">Queued or unflushed messages lost because their connection closed.</param>
/// <param name="SendQueueFull">Sends refused because the connection's queue was full (backpressure).</param>
/// <param name="MessagesTooLarge">Sends refused because the message would exceed the frame limit.</param>
/// <param name="ConnectFailures">Outgoing connects that failed (socket error, timeout, refused handshake).</param>
/// <param name="HandshakesRefused">Handshakes this node refused (either direction).</param>
/// <param name="MessagesMisrouted">Messages received whose destination was another node.</param>
internal readonly record struct NetworkingCounters(
    long FramesSent,
    long MessagesSent,
    long Flushes,
    long FramesReceived,
    long MessagesReceived,
    long MessagesDropped,
    long SendQueueFull,
    long MessagesTooLarge,
    long ConnectFailures,
    long HandshakesRefused,
    long MessagesMisrouted);
