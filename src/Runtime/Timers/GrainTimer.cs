using Microsoft.Extensions.Logging;
using Switchboard.Runtime.Catalog;
using Switchboard.Runtime.Diagnostics;

namespace Switchboard.Runtime.Timers;

/// <summary>
/// A grain timer. The underlying <see cref="ITimer"/> is one-shot and re-armed only after a tick's callback has
/// completed, which gives both Orleans rules at once: ticks never overlap, and the period counts from the end of the
/// previous callback. A tick is a work item of the activation, so it waits for a free turn unless Interleave is set.
/// Invariants: at most one tick is queued or running (<see cref="_inFlight"/>); after Dispose no new tick starts
/// (a running one completes and sees its token cancelled).
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly Lock _lock = new();
    private readonly GrainActivation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly bool _interleave;
    private readonly bool _keepAlive;
    private TimeSpan _dueTime;
    private TimeSpan _period;
    private TimeSpan? _pendingDueTime;
    private ITimer? _timer;
    private bool _inFlight;

    public GrainTimer(GrainActivation activation, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options,
        TimeProvider timeProvider, ILogger logger)
    {
        Validate(options.DueTime, options.Period);
        _activation = activation;
        _callback = callback;
        _timeProvider = timeProvider;
        _logger = logger;
        _interleave = options.Interleave;
        _keepAlive = options.KeepAlive;
        _dueTime = options.DueTime;
        _period = options.Period;
    }

    public void Start()
    {
        var timer = _timeProvider.CreateTimer(static state => ((GrainTimer)state!).OnFired(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
            {
                timer.Dispose();
                return;
            }

            _timer = timer;
        }

        timer.Change(_dueTime, Timeout.InfiniteTimeSpan);
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, period);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            _period = period;
            if (_inFlight)
            {
                // Applied when the current tick ends, so ticks still never overlap.
                _pendingDueTime = dueTime;
                return;
            }

            _timer?.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            _timer?.Dispose();
        }

        _activation.RemoveTimer(this);
    }

    /// <summary>Runs the callback as a turn of the activation (called on its scheduler), then re-arms.</summary>
    internal async Task RunTickAsync()
    {
        try
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            if (_keepAlive)
            {
                _activation.RecordActivity();
            }

            await _callback(_disposed.Token);
            if (_keepAlive)
            {
                _activation.RecordActivity();
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // Disposed while running: the callback honoured its token.
        }
#pragma warning disable CA1031 // Orleans semantics: a failing tick is logged and the timer keeps running.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.TimerCallbackFailed(ex, _activation.GrainId);
        }
        finally
        {
            Rearm();
        }
    }

    private void OnFired()
    {
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested || _inFlight)
            {
                return;
            }

            _inFlight = true;
        }

        if (!_activation.TryEnqueue(WorkItem.ForTimer(this, _interleave)))
        {
            lock (_lock)
            {
                _inFlight = false;
            }
        }
    }

    private void Rearm()
    {
        lock (_lock)
        {
            _inFlight = false;
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            var next = _pendingDueTime ?? _period;
            _pendingDueTime = null;
            if (next != Timeout.InfiniteTimeSpan)
            {
                _timer?.Change(next, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private static void Validate(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "Due time must be non-negative or infinite.");
        }

        if (period <= TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "Period must be positive or infinite.");
        }
    }
}
