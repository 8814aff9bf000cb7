namespace Switchboard.Gateway.MediaStreams;

/// <summary>What <see cref="SocketSendQueue.Enqueue"/> did with a command.</summary>
internal enum SendQueueOutcome
{
    /// <summary>Queued.</summary>
    Queued,
    /// <summary>Queued after dropping the oldest queued media frame (the queue was full).</summary>
    QueuedAfterTrim,
    /// <summary>Dropped: the queue was full and held no media frame to drop instead.</summary>
    DroppedFull,
    /// <summary>Dropped: the queue is completed (the socket is closing or gone).</summary>
    DroppedClosed,
}
