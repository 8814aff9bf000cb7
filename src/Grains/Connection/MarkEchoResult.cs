using Switchboard.Grains.Applications;

namespace Switchboard.Grains.Connection;

/// <summary>Result of <see cref="OutboundQueue.OnMarkEcho(string)"/>.</summary>
/// <param name="Outcome">Played, cleared, or unexpected.</param>
/// <param name="Skipped">Pending marks ahead of the echoed one that were resolved with it, in FIFO order, each with
/// its own outcome (see the queue's rules); empty in the normal case.</param>
internal readonly record struct MarkEchoResult(MarkOutcome Outcome, IReadOnlyList<(string Name, MarkOutcome Outcome)> Skipped);
