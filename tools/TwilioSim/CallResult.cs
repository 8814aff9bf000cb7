namespace Switchboard.TwilioSim;

/// <summary>
/// One call's figures at the moment it was taken: live progress while the run goes on (from
/// <see cref="SimulationRun.Snapshot"/>), final figures in <see cref="SimulationSummary.CallResults"/>.
/// </summary>
internal sealed class CallResult
{
    private readonly SimulatedCall _call;

    internal CallResult(SimulatedCall call) => _call = call;

    /// <summary>Position of the call in the run.</summary>
    public required int Index { get; init; }

    /// <summary>The call's <c>streamSid</c> (what a server keys its per-call state by).</summary>
    public required string StreamSid { get; init; }

    /// <summary>The call's <c>callSid</c>.</summary>
    public required string CallSid { get; init; }

    /// <summary>The call's phase.</summary>
    public required CallState State { get; init; }

    /// <summary>Whether the socket opened and <c>start</c> was sent.</summary>
    public required bool WasConnected { get; init; }

    /// <summary>Inbound media messages sent.</summary>
    public required long MediaSent { get; init; }

    /// <summary>Inbound audio bytes sent.</summary>
    public required long BytesSent { get; init; }

    /// <summary>Outbound audio bytes received.</summary>
    public required long BytesEchoed { get; init; }

    /// <summary>Sent bytes not (yet) echoed.</summary>
    public required long Lost { get; init; }

    /// <summary>Echoed bytes that differed from the bytes sent at that offset (reordering, corruption) or exceeded them.</summary>
    public required long Mismatched { get; init; }

    /// <summary>
    /// The longest interval without echo while streaming (see <see cref="EchoMatcher"/>); while the call still streams it
    /// includes the gap open since the last echo.
    /// </summary>
    public required TimeSpan LongestEchoGap { get; init; }

    /// <summary>When the longest echo gap began (a timestamp of the run's clock), 0 when there was none.</summary>
    public required long LongestEchoGapStartedAt { get; init; }

    /// <summary>How far into the stream (after the call's first frame) the longest echo gap began; null when there was none.</summary>
    public required TimeSpan? LongestEchoGapIntoStream { get; init; }

    /// <summary>Whether the server ended the socket before the call sent its own <c>stop</c>.</summary>
    public required bool ServerClosed { get; init; }

    /// <summary>Errors the call recorded (capped).</summary>
    public required IReadOnlyList<string> Errors { get; init; }

    /// <summary>
    /// How long after <paramref name="instant"/> (a timestamp of the run's <see cref="SimulatorOptions.TimeProvider"/>,
    /// e.g. taken just before killing a server) the first frame sent at or after that instant came back as echo; null if
    /// it has not (yet). Read live: it reflects the call's state now, not when this result was taken.
    /// </summary>
    public TimeSpan? EchoResumedAfter(long instant) => _call.EchoResumedAfter(instant);

    /// <inheritdoc />
    public override string ToString()
    {
        var gapAt = LongestEchoGapIntoStream is { } into ? $" (from {into.TotalSeconds:F2} s into the stream)" : string.Empty;
        return $"call {Index} ({StreamSid}) {State}: sent {BytesSent} echoed {BytesEchoed} lost {Lost} mismatched {Mismatched} " +
            $"longest gap {LongestEchoGap.TotalMilliseconds:F0} ms{gapAt}{(ServerClosed ? " closed by server" : string.Empty)}";
    }
}
