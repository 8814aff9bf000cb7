namespace Switchboard.Grains;

/// <summary>Audio format announced in Twilio's <c>start</c> message.</summary>
[GenerateSerializer]
[Immutable]
[Alias("sb.MediaFormat")]
public sealed record MediaFormat(
    [property: Id(0)] string Encoding,
    [property: Id(1)] int SampleRate,
    [property: Id(2)] int Channels);

/// <summary>The <c>start</c> message's metadata, as forwarded by the gateway.</summary>
[GenerateSerializer]
[Immutable]
[Alias("sb.StreamStart")]
public sealed record StreamStart(
    [property: Id(0)] string StreamSid,
    [property: Id(1)] string AccountSid,
    [property: Id(2)] string CallSid,
    [property: Id(3)] IReadOnlyList<string> Tracks,
    [property: Id(4)] MediaFormat MediaFormat,
    [property: Id(5)] IReadOnlyDictionary<string, string> CustomParameters,
    [property: Id(6)] long SequenceNumber);

/// <summary>One inbound <c>media</c> message; <see cref="Payload"/> is the decoded μ-law audio (normally 160 bytes).</summary>
[GenerateSerializer]
[Immutable]
[Alias("sb.InboundMedia")]
public sealed record InboundMedia(
    [property: Id(0)] long SequenceNumber,
    [property: Id(1)] string Track,
    [property: Id(2)] long Chunk,
    [property: Id(3)] long TimestampMs,
    [property: Id(4)] byte[] Payload);

/// <summary>Twilio echoing a <c>mark</c> we sent (after playback, or because of a <c>clear</c>).</summary>
[GenerateSerializer]
[Immutable]
[Alias("sb.MarkEcho")]
public sealed record MarkEcho(
    [property: Id(0)] long SequenceNumber,
    [property: Id(1)] string Name);

/// <summary>A key press (bidirectional streams only).</summary>
[GenerateSerializer]
[Immutable]
[Alias("sb.DtmfEvent")]
public sealed record DtmfEvent(
    [property: Id(0)] long SequenceNumber,
    [property: Id(1)] string Digit);

/// <summary>Twilio's <c>stop</c> message.</summary>
[GenerateSerializer]
[Immutable]
[Alias("sb.StreamStop")]
public sealed record StreamStop(
    [property: Id(0)] long SequenceNumber,
    [property: Id(1)] string AccountSid,
    [property: Id(2)] string CallSid);

/// <summary>The gateway reporting that the socket closed without a <c>stop</c>.</summary>
/// <param name="CloseStatus">WebSocket close code if a close frame was received; null when the socket broke.</param>
/// <param name="Reason">Close description or the transport error.</param>
[GenerateSerializer]
[Immutable]
[Alias("sb.SocketClosure")]
public sealed record SocketClosure(
    [property: Id(0)] int? CloseStatus,
    [property: Id(1)] string Reason);

/// <summary>Kinds of outbound frame the gateway writes to Twilio.</summary>
[GenerateSerializer]
[Alias("sb.OutboundKind")]
public enum OutboundKind
{
    /// <summary><c>media</c> with a base64 μ-law payload.</summary>
    Media,
    /// <summary><c>mark</c> with a name.</summary>
    Mark,
    /// <summary><c>clear</c>: drop buffered audio at Twilio.</summary>
    Clear,
}

/// <summary>One frame for the gateway to write on the socket, in order.</summary>
[GenerateSerializer]
[Immutable]
[Alias("sb.OutboundFrame")]
public sealed record OutboundFrame(
    [property: Id(0)] OutboundKind Kind,
    [property: Id(1)] byte[]? Payload,
    [property: Id(2)] string? MarkName);

/// <summary>The grain asking the gateway to close the socket.</summary>
/// <param name="CloseStatus">WebSocket close code (1000 normal, 1008 policy, 1011 server error...).</param>
/// <param name="Reason">Close description (≤ 123 bytes UTF-8).</param>
/// <param name="Error">Why, as a design error code.</param>
[GenerateSerializer]
[Immutable]
[Alias("sb.CloseInstruction")]
public sealed record CloseInstruction(
    [property: Id(0)] int CloseStatus,
    [property: Id(1)] string Reason,
    [property: Id(2)] ConnectionErrorCode Error);

/// <summary>Answer to <see cref="IConnectionGrain.Start"/>.</summary>
/// <param name="Accepted">False when the grain refused the socket (see <paramref name="Reason"/>).</param>
/// <param name="State">State after the call.</param>
/// <param name="Reason">Why it was refused.</param>
/// <param name="Refusal">What kind of refusal (<see cref="StartRefusal.None"/> when accepted).</param>
/// <param name="HolderRemoteAddress">For <see cref="StartRefusal.StreamLive"/> and <see cref="StartRefusal.StreamEnded"/>:
/// the remote address of the socket that holds (or held) the stream, as its gateway reported it.</param>
[GenerateSerializer]
[Immutable]
[Alias("sb.AttachResult")]
public sealed record AttachResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] ConnectionState State,
    [property: Id(2)] string? Reason,
    [property: Id(3)] StartRefusal Refusal = StartRefusal.None,
    [property: Id(4)] string? HolderRemoteAddress = null);

/// <summary>Why <see cref="IConnectionGrain.Start"/> refused a socket.</summary>
[GenerateSerializer]
[Alias("sb.StartRefusal")]
public enum StartRefusal
{
    /// <summary>Not refused.</summary>
    None,

    /// <summary>Another socket holds the live stream: Twilio never opens a second one, so this one is not Twilio's.</summary>
    StreamLive,

    /// <summary>The stream has ended; a stream is never started twice.</summary>
    StreamEnded,

    /// <summary>The call application failed to start.</summary>
    ApplicationFailed,
}

/// <summary>Answer to an outbound enqueue by the application.</summary>
/// <param name="Accepted">False when the queue bound would be exceeded (nothing was queued) or the stream has ended.</param>
/// <param name="BufferedMs">Milliseconds of audio queued or unplayed after the call.</param>
/// <param name="Error">Why it was refused.</param>
[GenerateSerializer]
[Immutable]
[Alias("sb.EnqueueResult")]
public sealed record EnqueueResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] double BufferedMs,
    [property: Id(2)] string? Error);

/// <summary>Read-only view of a connection grain, for tests, /health and the dashboard.</summary>
[GenerateSerializer]
[Immutable]
[Alias("sb.ConnectionSnapshot")]
public sealed record ConnectionSnapshot(
    [property: Id(0)] string StreamSid,
    [property: Id(1)] string? CallSid,
    [property: Id(2)] ConnectionState State,
    [property: Id(3)] ConnectionErrorCode Error,
    [property: Id(4)] long MediaReceived,
    [property: Id(5)] long LastSequenceNumber,
    [property: Id(6)] long SequenceGaps,
    [property: Id(7)] long Duplicates,
    [property: Id(8)] long Reordered,
    [property: Id(9)] long RateLimited,
    [property: Id(10)] double BufferedOutboundMs,
    [property: Id(11)] long MarksPlayed,
    [property: Id(12)] long MarksCleared,
    [property: Id(13)] int PendingMarks,
    [property: Id(14)] double? LastRoundTripMs,
    [property: Id(15)] long OutboundRejected);
