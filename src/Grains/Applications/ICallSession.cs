namespace Switchboard.Grains.Applications;

/// <summary>
/// What a <see cref="ICallHandler"/> sees of its stream: metadata and the outbound API. Outbound calls are
/// synchronous and return the queue's verdict as a value: a refused enqueue queued nothing.
/// </summary>
public interface ICallSession
{
    /// <summary>The stream's <c>streamSid</c> (the connection grain's key).</summary>
    string StreamSid { get; }

    /// <summary>The <c>start</c> metadata.</summary>
    StreamStart Start { get; }

    /// <summary>Outbound audio sent and not yet confirmed played, in milliseconds.</summary>
    double BufferedMs { get; }

    /// <summary>Sends raw 8 kHz μ-law audio toward the caller (copied). Refused when the outbound bound would be exceeded
    /// or the stream is not connected.</summary>
    EnqueueResult SendMedia(ReadOnlySpan<byte> audio);

    /// <summary>Sends a mark after the audio sent so far; its echo comes back through <see cref="ICallHandler.OnMarkAsync"/>.</summary>
    EnqueueResult SendMark(string name);

    /// <summary>Barge-in: Twilio drops buffered audio; pending marks come back as <see cref="MarkOutcome.Cleared"/>.</summary>
    void Clear();

    /// <summary>For a handler whose <see cref="ICallHandler.AcknowledgesInput"/> is true: everything delivered to it so
    /// far is handled (its output, if any, has been sent). Until then the gateway keeps those messages and, if this
    /// activation is lost, delivers them again to the next one, so audio a handler held in memory is not lost.</summary>
    void MarkConsumed();
}
