namespace Switchboard.TwilioSim;

/// <summary>
/// Lock-free log-linear histogram of latencies in microseconds: exact below 128 µs, then 64 sub-buckets per
/// power of two (about 1.6 % relative precision) up to ~2^40 µs. Recording is one interlocked increment, so
/// many calls can record into one instance; percentiles report the bucket midpoint, the maximum is exact.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private const int MaxShift = 34;
    private readonly long[] _counts = new long[((MaxShift + 1) * SubBuckets) + (2 * SubBuckets)];
    private long _count;
    private long _maxMicroseconds;

    /// <summary>Number of recorded values.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The largest recorded value (exact).</summary>
    public TimeSpan Max => TimeSpan.FromMicroseconds(Interlocked.Read(ref _maxMicroseconds));

    /// <summary>Records one latency; negative values count as zero.</summary>
    public void Record(TimeSpan latency)
    {
        long micros = Math.Max(0, (long)latency.TotalMicroseconds);
        Interlocked.Increment(ref _counts[IndexOf(micros)]);
        Interlocked.Increment(ref _count);
        long current = Interlocked.Read(ref _maxMicroseconds);
        while (micros > current)
        {
            long seen = Interlocked.CompareExchange(ref _maxMicroseconds, micros, current);
            if (seen == current)
            {
                break;
            }

            current = seen;
        }
    }

    /// <summary>
    /// Forgets every sample so far (e.g. the connect and warm-up phase of a run). Racing <see cref="Record"/> calls may
    /// land on either side of the reset; the histogram stays consistent enough for percentiles.
    /// </summary>
    public void Reset()
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            Interlocked.Exchange(ref _counts[i], 0);
        }

        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _maxMicroseconds, 0);
    }

    /// <summary>Adds every value of <paramref name="other"/> to this histogram.</summary>
    public void Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < _counts.Length; i++)
        {
            long c = Interlocked.Read(ref other._counts[i]);
            if (c != 0)
            {
                Interlocked.Add(ref _counts[i], c);
            }
        }

        Interlocked.Add(ref _count, other.Count);
        long otherMax = (long)other.Max.TotalMicroseconds;
        if (otherMax > Interlocked.Read(ref _maxMicroseconds))
        {
            Interlocked.Exchange(ref _maxMicroseconds, otherMax);
        }
    }

    /// <summary>The value at quantile <paramref name="quantile"/> (0..1], or zero when empty.</summary>
    public TimeSpan Percentile(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        long total = Count;
        if (total == 0)
        {
            return TimeSpan.Zero;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                var (low, width) = BucketRange(i);
                long mid = low + ((width - 1) / 2);
                return TimeSpan.FromMicroseconds(Math.Min(mid, Interlocked.Read(ref _maxMicroseconds)));
            }
        }

        return Max;
    }

    internal static int IndexOf(long micros)
    {
        if (micros < 2 * SubBuckets)
        {
            return (int)micros;
        }

        int msb = 63 - (int)ulong.LeadingZeroCount((ulong)micros);
        int shift = Math.Min(msb - 6, MaxShift);
        long mantissa = Math.Min(micros >> shift, (2 * SubBuckets) - 1);
        return (shift * SubBuckets) + (int)mantissa;
    }

    internal static (long Low, long Width) BucketRange(int index)
    {
        if (index < 2 * SubBuckets)
        {
            return (index, 1);
        }

        int shift = (index / SubBuckets) - 1;
        long mantissa = (index % SubBuckets) + SubBuckets;
        return (mantissa << shift, 1L << shift);
    }
}
