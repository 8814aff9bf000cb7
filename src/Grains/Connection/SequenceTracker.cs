namespace Switchboard.Grains.Connection;

/// <summary>
/// Accounts for Twilio's per-stream <c>sequenceNumber</c> (one counter over all events, <c>1</c> on <c>start</c>).
/// </summary>
/// <remarks>
/// Memory is bounded: a ring bitmap remembers which of the last <see cref="WindowSize"/> numbers below the highest
/// were seen. Rules: a number above the highest is InOrder when it is highest + 1, else a Gap (each number skipped
/// adds one to <see cref="Gaps"/>, even for huge jumps, at O(window) cost at most). A number at or below the
/// highest and inside the window is a Duplicate if seen, else Reordered (a late arrival of a missing number is not a
/// duplicate; a second late copy is). Outside the window, or below the first number tracked, it is Stale.
/// Numbers below 1 are Invalid. <see cref="Gaps"/> is cumulative: numbers still missing = Gaps − Reordered.
/// Never throws.
/// </remarks>
internal sealed class SequenceTracker
{
    /// <summary>How many numbers below the highest are remembered.</summary>
    public const int WindowSize = 1024;

    private readonly ulong[] _seen = new ulong[WindowSize / 64];
    private long _first;

    /// <summary>First number tracked (the origin); 0 before any.</summary>
    public long First => _first;

    /// <summary>Highest number seen; 0 before any.</summary>
    public long Highest { get; private set; }

    /// <summary>Numbers skipped over when a later number arrived first (cumulative).</summary>
    public long Gaps { get; private set; }

    /// <summary>Numbers seen again.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Missing numbers that arrived late.</summary>
    public long Reordered { get; private set; }

    /// <summary>Numbers too old to classify.</summary>
    public long Stale { get; private set; }

    /// <summary>Numbers below 1.</summary>
    public long Invalid { get; private set; }

    /// <summary>A copy of the window bitmap (for a checkpoint).</summary>
    public ulong[] CopyWindow() => (ulong[])_seen.Clone();

    /// <summary>Rebuilds a tracker from a checkpoint taken with <see cref="First"/>, <see cref="CopyWindow"/> and the
    /// counters. A window of the wrong size (corrupt or from another version) is dropped: the restored tracker then
    /// starts a fresh origin at <paramref name="highest"/>, so older numbers read as Stale rather than misclassified.</summary>
    public static SequenceTracker Restore(long first, long highest, long gaps, long duplicates, long reordered, long stale, long invalid, IReadOnlyList<ulong>? window)
    {
        var tracker = new SequenceTracker
        {
            Highest = Math.Max(highest, 0),
            Gaps = gaps,
            Duplicates = duplicates,
            Reordered = reordered,
            Stale = stale,
            Invalid = invalid,
        };
        if (tracker.Highest == 0)
        {
            return tracker;
        }

        if (window is not null && window.Count == tracker._seen.Length && first >= 1 && first <= tracker.Highest)
        {
            for (var i = 0; i < window.Count; i++)
            {
                tracker._seen[i] = window[i];
            }

            tracker._first = first;
        }
        else
        {
            tracker._first = tracker.Highest;
            tracker.Set(tracker.Highest);
        }

        return tracker;
    }

    /// <summary>Forgets everything.</summary>
    public void Reset()
    {
        Array.Clear(_seen);
        _first = 0;
        Highest = 0;
        Gaps = Duplicates = Reordered = Stale = Invalid = 0;
    }

    /// <summary>Classifies and records <paramref name="sequenceNumber"/>.</summary>
    public SequenceObservation Observe(long sequenceNumber)
    {
        if (sequenceNumber < 1)
        {
            Invalid++;
            return SequenceObservation.Invalid;
        }

        if (Highest == 0)
        {
            // Twilio starts at 1 on `start`; if tracking begins later (a reactivated grain), the first number seen is
            // the origin and nothing below it can be classified.
            _first = sequenceNumber;
            Highest = sequenceNumber;
            Set(sequenceNumber);
            return SequenceObservation.InOrder;
        }

        if (sequenceNumber > Highest)
        {
            var skipped = sequenceNumber - Highest - 1;
            if (skipped >= WindowSize)
            {
                Array.Clear(_seen);
            }
            else
            {
                for (var n = Highest + 1; n < sequenceNumber; n++)
                {
                    Clear(n);
                }
            }

            Highest = sequenceNumber;
            Set(sequenceNumber);
            if (skipped == 0)
            {
                return SequenceObservation.InOrder;
            }

            Gaps += skipped;
            return SequenceObservation.Gap;
        }

        if (Highest - sequenceNumber >= WindowSize || sequenceNumber < _first)
        {
            Stale++;
            return SequenceObservation.Stale;
        }

        if (IsSet(sequenceNumber))
        {
            Duplicates++;
            return SequenceObservation.Duplicate;
        }

        Set(sequenceNumber);
        Reordered++;
        return SequenceObservation.Reordered;
    }

    private static int Slot(long n) => (int)(n % WindowSize);

    private void Set(long n) => _seen[Slot(n) >> 6] |= 1UL << (Slot(n) & 63);

    private void Clear(long n) => _seen[Slot(n) >> 6] &= ~(1UL << (Slot(n) & 63));

    private bool IsSet(long n) => (_seen[Slot(n) >> 6] & (1UL << (Slot(n) & 63))) != 0;
}
