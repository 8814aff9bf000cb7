namespace Switchboard.Grains.Connection;

/// <summary>How <see cref="SequenceTracker"/> classified one sequence number.</summary>
internal enum SequenceObservation
{
    /// <summary>The next expected number (or the first one seen).</summary>
    InOrder,
    /// <summary>Ahead of the next expected number; the numbers in between are now missing.</summary>
    Gap,
    /// <summary>Seen before (within the window).</summary>
    Duplicate,
    /// <summary>A late arrival of a number that was missing.</summary>
    Reordered,
    /// <summary>Older than the window, or older than the first number seen: cannot be classified.</summary>
    Stale,
    /// <summary>Not a valid sequence number (below 1).</summary>
    Invalid,
}
