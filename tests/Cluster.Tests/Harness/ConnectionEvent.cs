namespace Switchboard.Cluster.Tests.Harness;

/// <summary>
/// One JSON log line of a host that names a connection (<c>connectionId</c> = the stream's streamSid), as the host's
/// stdout delivered it. A silo's connection grain logs <c>StateChanged</c> when a call starts on it (Information) and
/// event <c>Restored</c> (id 3400, "restored from its checkpoint") whenever an activation resumes a call it did not start: the first
/// activation of a call finds no checkpoint, so every <c>Restored</c> is a restart of that call's grain.
/// </summary>
/// <param name="ReceivedAt">When the test process read the line (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</param>
/// <param name="ConnectionId">The stream's streamSid.</param>
/// <param name="Component">The log's <c>component</c> (<c>grain</c> for the connection grain).</param>
/// <param name="Event">The log's <c>event</c> (event name, or the event id when it has no name).</param>
/// <param name="Message">The rendered message.</param>
internal sealed record ConnectionEvent(long ReceivedAt, string ConnectionId, string Component, string Event, string Message)
{
    /// <summary>The connection grain's "restored from its checkpoint" event (ConnectionCheckpointLog.Restored).</summary>
    public const string Restored = "Restored";

    /// <summary>The connection grain's "checkpoint write failed" event (ConnectionCheckpointLog.WriteFailed).</summary>
    public const string WriteFailed = "WriteFailed";

    /// <summary>Logged by the connection grain (so the process hosts that call's activation).</summary>
    public bool IsGrain => Component == "grain";

    /// <summary>A connection grain activation resumed the call from its checkpoint (a restart).</summary>
    public bool IsRestore => IsGrain && Event == Restored;

    /// <inheritdoc />
    public override string ToString() => $"{Event} {ConnectionId}: {Message}";
}
