using System.Diagnostics;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>
/// Measures how late a dedicated OS thread wakes from 5 ms sleeps: the worst stall the operating system (CPU contention
/// from other processes on a shared 2-core machine) or a garbage collection imposed on this process. It runs outside the
/// thread pool, so a gateway that starves the pool (blocking calls, long synchronous work) does not show up here; it
/// shows up only in the call's round trips.
/// </summary>
internal sealed class SchedulingStallProbe : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);

    private readonly Thread _thread;
    private volatile bool _stopped;
    private long _maxStallTicks;

    public SchedulingStallProbe()
    {
        // Normal priority on purpose: the probe must wait for a CPU exactly as the thread pool's threads do.
        _thread = new Thread(Run) { IsBackground = true, Name = "scheduling-stall-probe" };
        _thread.Start();
    }

    /// <summary>The longest oversleep since the last <see cref="Reset"/>.</summary>
    public TimeSpan MaxStall => TimeSpan.FromTicks(Interlocked.Read(ref _maxStallTicks));

    public void Reset() => Interlocked.Exchange(ref _maxStallTicks, 0);

    public void Dispose()
    {
        _stopped = true;
        _thread.Join();
    }

    private void Run()
    {
        while (!_stopped)
        {
            var started = Stopwatch.GetTimestamp();
            Thread.Sleep(Interval);
            var stall = Stopwatch.GetElapsedTime(started) - Interval;
            var current = Interlocked.Read(ref _maxStallTicks);
            while (stall.Ticks > current)
            {
                var seen = Interlocked.CompareExchange(ref _maxStallTicks, stall.Ticks, current);
                if (seen == current)
                {
                    break;
                }

                current = seen;
            }
        }
    }
}
