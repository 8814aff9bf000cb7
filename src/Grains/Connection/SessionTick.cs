namespace Switchboard.Grains.Connection;

/// <summary>What <see cref="ConnectionSession.TickAsync"/> did.</summary>
internal enum SessionTick
{
    /// <summary>Nothing to do.</summary>
    None,
    /// <summary>The heartbeat expired: the socket was told to close and the session ended DISCONNECTED with ConnectionTimeout.</summary>
    HeartbeatTimedOut,
    /// <summary>The session is final and its retention period is over: the grain should deactivate.</summary>
    RetentionElapsed,
}
