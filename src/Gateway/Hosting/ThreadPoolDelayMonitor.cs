using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// Measures how long work queued to the .NET thread pool waits before it starts, the one number that explains a
/// process-wide audio stall: every socket read, grain turn and timer runs there, so when the pool is starved (threads
/// blocked, or too few for a burst) every call on the node stops at once. A dedicated thread queues a probe every
/// <see cref="ProbeInterval"/> and records its wait in <c>switchboard.runtime.threadpool.queue_delay</c>; a wait over
/// <see cref="StallThreshold"/> is logged once per stall, with the pool's thread count and queue length, so an
/// operator can tell a starved node from a slow network. Orleans has no such probe; every silo and gateway runs this.
/// </summary>
internal sealed class ThreadPoolDelayMonitor : IHostedService, IDisposable
{
    /// <summary>Time between probes: several per 20 ms media tick would cost CPU, one per second would miss stalls.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>A wait this long is a stall a caller hears (10 Twilio media frames).</summary>
    public static readonly TimeSpan StallThreshold = TimeSpan.FromMilliseconds(200);

    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Histogram<double> _queueDelay;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ManualResetEventSlim _probeRan = new();
    private readonly Action<long> _probe;
    private Thread? _thread;
    private long _probeStartedAt;
    private bool _inStall;
    private TimeSpan _stallWorst;

    /// <summary>Meter of the histogram <c>switchboard.runtime.threadpool.queue_delay</c>.</summary>
    public const string MeterName = "Switchboard.Runtime";

    public ThreadPoolDelayMonitor(ILogger<ThreadPoolDelayMonitor> logger, IMeterFactory meterFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _logger = logger;
        _timeProvider = timeProvider;
        _queueDelay = meterFactory.Create(MeterName).CreateHistogram<double>("switchboard.runtime.threadpool.queue_delay", unit: "ms",
            description: "Time work queued to the thread pool waited before it ran.");
        _probe = _ =>
        {
            Volatile.Write(ref _probeStartedAt, _timeProvider.GetTimestamp());
            _probeRan.Set();
        };
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A dedicated thread, not a timer: a timer callback itself waits for a pool thread, so a starved pool would
        // delay the measurement of its own starvation.
        _thread = new Thread(Run) { IsBackground = true, Name = "Switchboard thread-pool probe" };
        _thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(2));
        return Task.CompletedTask;
    }

    /// <summary>Records one probe's wait; logs the start of a stall and its end (with the worst wait seen).
    /// Separate from the probing thread so the episode rules are testable without starving a real pool.</summary>
    public void Record(TimeSpan delay)
    {
        _queueDelay.Record(delay.TotalMilliseconds);
        Observe(delay);
    }

    private void Observe(TimeSpan delay)
    {
        if (delay >= StallThreshold)
        {
            if (!_inStall)
            {
                _inStall = true;
                _stallWorst = delay;
                ThreadPoolLog.ThreadPoolStalled(_logger, delay.TotalMilliseconds, ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount);
            }
            else if (delay > _stallWorst)
            {
                _stallWorst = delay;
            }
        }
        else if (_inStall)
        {
            _inStall = false;
            ThreadPoolLog.ThreadPoolRecovered(_logger, _stallWorst.TotalMilliseconds, ThreadPool.ThreadCount);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _probeRan.Dispose();
    }

    private void Run()
    {
        var token = _stopping.Token;
        WaitHandle[] handles = [_probeRan.WaitHandle, token.WaitHandle];
        try
        {
            while (!token.WaitHandle.WaitOne(ProbeInterval))
            {
                _probeRan.Reset();
                long queuedAt = _timeProvider.GetTimestamp();
                ThreadPool.UnsafeQueueUserWorkItem(_probe, 0L, preferLocal: false);

                // While the probe waits, report the wait so far at each interval: a stall is logged while it lasts,
                // not only after it ends.
                while (WaitHandle.WaitAny(handles, ProbeInterval) != 0)
                {
                    if (token.IsCancellationRequested)
                    {
                        return;
                    }

                    Observe(_timeProvider.GetElapsedTime(queuedAt));
                }

                Record(_timeProvider.GetElapsedTime(queuedAt, Volatile.Read(ref _probeStartedAt)));
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed while stopping.
        }
    }
}
