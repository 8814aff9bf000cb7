namespace Switchboard.Bench.LoadGen;

/// <summary>
/// Search for the largest passing N: double from <c>start</c> until a trial fails (or <c>max</c> passes), then bisect
/// between the largest pass and the smallest failure until they are within the resolution (a fraction of the pass,
/// at least 10 calls) or the trial budget is spent. Assumes pass/fail is monotonic in N; noise near the edge makes the
/// answer accurate to about one resolution step.
/// </summary>
internal sealed class CapacitySearch(int start, int max, double resolution, int maxTrials)
{
    private int _trials;

    /// <summary>Largest N that passed (0 if none).</summary>
    public int LargestPass { get; private set; }

    /// <summary>Smallest N that failed (null if none).</summary>
    public int? SmallestFailure { get; private set; }

    /// <summary>Whether the search converged (as opposed to running out of trials).</summary>
    public bool Converged { get; private set; }

    /// <summary>The next N to try, or null when done.</summary>
    public int? Next()
    {
        if (Converged || _trials >= maxTrials)
        {
            return null;
        }

        if (SmallestFailure is not { } failure)
        {
            if (LargestPass >= max)
            {
                Converged = true;
                return null;
            }

            return LargestPass == 0 ? start : Math.Min(LargestPass * 2, max);
        }

        int step = Math.Max(10, (int)(LargestPass * resolution));
        if (failure - LargestPass <= step || failure <= 10)
        {
            Converged = true;
            return null;
        }

        int middle = (LargestPass + failure) / 2;
        return Math.Max(10, middle / 10 * 10);
    }

    /// <summary>Records the outcome of a trial at <paramref name="calls"/>.</summary>
    public void Record(int calls, bool passed)
    {
        _trials++;
        if (passed)
        {
            LargestPass = Math.Max(LargestPass, calls);
        }
        else
        {
            SmallestFailure = SmallestFailure is { } f ? Math.Min(f, calls) : calls;
        }
    }
}
