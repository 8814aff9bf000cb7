using System.Diagnostics;

namespace Switchboard.Cluster.Tests.Harness;

/// <summary>
/// Bounded polling of an outside state (a database row, an HTTP endpoint, a process): reads until the condition holds
/// or the timeout passes, then fails with a message naming the phase, the entity, the expected state and the last
/// actual state (or the last read error). Reads that throw count as "not yet" (the database may be down on purpose).
/// </summary>
internal static class Poll
{
    /// <summary>Time between reads: short against the 3 s and 5 s targets the tests measure.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Reads until <paramref name="done"/> holds; returns the value that satisfied it.</summary>
    /// <exception cref="TimeoutException">The condition did not hold in time (message: phase, entity, expected, actual).</exception>
    public static async Task<T> UntilAsync<T>(
        string phase,
        string entity,
        string expected,
        Func<CancellationToken, Task<T>> read,
        Func<T, bool> done,
        TimeSpan timeout,
        Func<T, string>? describe = null)
    {
        var result = await TryUntilAsync(read, done, timeout).ConfigureAwait(false);
        if (result.Satisfied)
        {
            return result.Value!;
        }

        var actual = result.Error is not null
            ? $"the last read failed: {result.Error.GetType().Name}: {result.Error.Message}"
            : result.HasValue ? (describe ?? (v => v?.ToString() ?? "null"))(result.Value!) : "nothing read";
        throw new TimeoutException($"[{phase}] {entity}: expected {expected} within {timeout.TotalSeconds:F1} s; actual: {actual}");
    }

    /// <summary>Reads until <paramref name="done"/> holds or the timeout passes; never throws for the condition, so a
    /// test can measure how long something took before it asserts the target.</summary>
    public static async Task<PollResult<T>> TryUntilAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        long started = Stopwatch.GetTimestamp();
        using var limit = new CancellationTokenSource(timeout);
        PollResult<T> last = default;
        for (int attempt = 0; attempt < 1_000_000; attempt++)
        {
            try
            {
                var value = await read(limit.Token).ConfigureAwait(false);
                last = new PollResult<T>(done(value), true, value, null, Stopwatch.GetElapsedTime(started));
                if (last.Satisfied)
                {
                    return last;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !limit.IsCancellationRequested)
            {
                last = last with { Error = exception, Elapsed = Stopwatch.GetElapsedTime(started) };
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (Stopwatch.GetElapsedTime(started) >= timeout)
            {
                break;
            }

            try
            {
                await Task.Delay(Interval, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return last with { Elapsed = Stopwatch.GetElapsedTime(started) };
    }
}
