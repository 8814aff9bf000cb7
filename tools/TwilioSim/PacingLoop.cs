namespace Switchboard.TwilioSim;

/// <summary>
/// The single pacing loop that drives every call: tick k is due at start + k × interval (an absolute
/// schedule, so waits never accumulate drift). When the loop wakes up late it jumps straight to the
/// tick that is due now; the callback then sends everything due up to that tick (catching up) and the
/// skipped ticks are counted as late. Bounded: stops when the callback returns true, after
/// <c>maxDuration</c>, or on cancellation.
/// </summary>
internal sealed class PacingLoop(TimeProvider timeProvider, TimeSpan interval)
{
    /// <summary>Twilio's inbound frame interval: 160 μ-law bytes = 20 ms.</summary>
    public static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>The tick interval.</summary>
    public TimeSpan Interval { get; } = interval > TimeSpan.Zero ? interval : throw new ArgumentOutOfRangeException(nameof(interval));

    /// <summary>Ticks skipped because the loop woke up late.</summary>
    public long LateTicks { get; private set; }

    /// <summary>Ticks processed.</summary>
    public long Ticks { get; private set; }

    /// <summary>
    /// Runs until <paramref name="onTick"/> (tick index, elapsed since start) returns true; returns false
    /// when <paramref name="maxDuration"/> elapsed or <paramref name="cancellationToken"/> fired first.
    /// </summary>
    public async Task<bool> RunAsync(Func<long, TimeSpan, bool> onTick, TimeSpan maxDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onTick);
        long start = timeProvider.GetTimestamp();
        long expected = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var elapsed = timeProvider.GetElapsedTime(start);
            if (elapsed >= maxDuration)
            {
                return false;
            }

            long due = elapsed.Ticks / Interval.Ticks;
            if (due > expected)
            {
                LateTicks += due - expected;
            }
            else
            {
                due = expected;
            }

            Ticks++;
            if (onTick(due, elapsed))
            {
                return true;
            }

            expected = due + 1;
            var wait = (Interval * expected) - timeProvider.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }

        return false;
    }
}
