namespace Switchboard.Grains.Applications;

/// <summary>
/// Per-stream application logic. Calls come one at a time, in the order the grain processes the stream's messages
/// (grain turns), so a handler needs no locks. An exception thrown by a handler is logged and counted; the stream
/// continues. Handlers must not block: they run on the connection grain's turn.
/// </summary>
public interface ICallHandler
{
    /// <summary>The stream started (after <c>start</c>).</summary>
    Task OnStartAsync(CancellationToken cancellationToken);

    /// <summary>Inbound audio passed the rate limit.</summary>
    /// <param name="media">The message; <see cref="InboundMedia.Payload"/> is raw μ-law.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task OnMediaAsync(InboundMedia media, CancellationToken cancellationToken);

    /// <summary>Twilio echoed a mark this handler sent.</summary>
    /// <param name="name">The mark's name.</param>
    /// <param name="outcome">Played, or cleared by a <c>clear</c> (never played).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task OnMarkAsync(string name, MarkOutcome outcome, CancellationToken cancellationToken);

    /// <summary>A key press.</summary>
    Task OnDtmfAsync(DtmfEvent dtmf, CancellationToken cancellationToken);

    /// <summary>The stream is ending. For a normal <c>stop</c> this is called while the session still accepts outbound
    /// audio (a last flush is possible); for a close or failure it is called after, and sends are refused.</summary>
    /// <param name="error">None for a normal stop or close; otherwise why the stream failed.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task OnStopAsync(ConnectionErrorCode error, CancellationToken cancellationToken);

    /// <summary>The call is not ending, but its grain is moving to another silo (graceful silo shutdown): send whatever
    /// is buffered now, while sends are still accepted. The handler's memory does not move; a new handler is created on
    /// the next silo through <see cref="OnStartAsync"/>. Default: nothing to flush.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    Task OnHandOffAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>True when the handler keeps input in memory before it answers (a buffer, a partial utterance) and calls
    /// <see cref="ICallSession.MarkConsumed"/> once its output for that input is sent. False (the default): each message
    /// counts as handled when its callback returns.</summary>
    bool AcknowledgesInput => false;
}
