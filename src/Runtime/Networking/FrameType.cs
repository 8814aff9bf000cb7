namespace Switchboard.Runtime.Networking;

/// <summary>The byte after a frame's length prefix. Values are part of the wire protocol: never renumber.</summary>
internal enum FrameType : byte
{
    /// <summary>First frame of the connecting side: magic, protocol version, cluster id, node id, client flag.</summary>
    Hello = 1,

    /// <summary>The accepting side's answer to a valid hello: its node id.</summary>
    HelloAccept = 2,

    /// <summary>Either side refuses the handshake: a reason, then the connection closes.</summary>
    HelloRefuse = 3,

    /// <summary>One <see cref="Messaging.Message"/>.</summary>
    Message = 4,

    /// <summary>Liveness probe: an 8-byte id, answered by a <see cref="Pong"/> with the same id.</summary>
    Ping = 5,

    /// <summary>Answer to a <see cref="Ping"/>.</summary>
    Pong = 6,

    /// <summary>"I am leaving, stop sending me messages" (graceful silo shutdown). Ping-shaped (an unused 8-byte id),
    /// so it travels in the control queue. The connection stays open for reading until the sender closes it.</summary>
    GoAway = 7,

    /// <summary>The answer to <see cref="GoAway"/>, written in message order: every message this side queued on the
    /// connection before it has been written ahead of it, and nothing more will be. Ping-shaped (id 0).</summary>
    GoAwayAck = 8,
}
