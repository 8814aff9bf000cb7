using Microsoft.Extensions.Logging;
using Switchboard.Gateway.Configuration;
using Switchboard.Grains;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// Carries one socket's inbound media, marks and DTMF to its connection grain without losing or reordering any,
/// across a silo failure. This is what Orleans does not do for a client: while a dead silo is being declared dead its
/// calls are rejected, one-way calls vanish, and calls in flight hang until their timeout.
/// </summary>
/// <remarks>
/// <para>Invariants: every event gets the next delivery number (1, 2, 3... per socket) when it is queued; events stay
/// queued until the grain acknowledges a number at or above theirs; at most one <see cref="IConnectionGrain.Deliver"/>
/// call is in flight, carrying the queued events not yet sent (up to <see cref="MaxBatch"/>) in order. So the grain
/// sees events in socket order. A failed call rewinds to the first unacknowledged event, so a retry re-sends exactly
/// what the grain may not have (it skips numbers it applied).</para>
/// <para>The grain acknowledges what is safe to forget (consumed by the application and its output delivered), which
/// can lag what it applied: a handler may hold audio until it has a chunk. While everything queued is sent but not all
/// acknowledged, the loop asks again with an empty batch when a new event arrives or after
/// <see cref="AckPollInterval"/>, until <see cref="Complete"/>. If the grain's activation is lost, what is still queued is
/// what may not have produced its output: it goes to the next activation.</para>
/// <para>Batching is adaptive: with the grain answering fast, each event leaves on its own; while a call is in flight
/// the next ones gather behind it.</para>
/// <para>Failure: a call that fails or gets no answer within <see cref="GatewayOptions.DeliveryAttemptTimeout"/> is
/// retried after 20, 40, 80... ms (at most 200 ms apart), logged once per outage. A call in flight when the Orleans
/// client loses a silo connection (<paramref name="connectionLost"/>, see <see cref="GatewayConnectionWatch"/>) is
/// sent again at once: it may have gone through that connection and would otherwise wait out its timeout. After
/// <see cref="GatewayOptions.RedeliveryTimeout"/> without an acknowledgement the delivery is abandoned and
/// <see cref="Abandoned"/> completes: the session closes the socket. The queue is bounded by
/// <see cref="GatewayOptions.MaxUndeliveredEvents"/>; beyond it the oldest event is dropped and counted (the grain then
/// sees a sequence gap). An acknowledgement saying the grain has no live call for this socket ends delivery
/// (<see cref="Detached"/>): the grain has closed, or will close, the socket itself.</para>
/// <para>Threading: <see cref="Enqueue"/> is called by the socket's receive loop; the delivery loop runs on the thread
/// pool. One lock guards the queue.</para>
/// </remarks>
internal sealed class InboundDelivery(
    IConnectionGrain grain,
    string socketId,
    string connectionId,
    string? remoteAddress,
    GatewayOptions options,
    TimeProvider time,
    ILogger logger,
    Func<CancellationToken>? connectionLost = null)
{
    /// <summary>Most events in one call (2 s of audio).</summary>
    public const int MaxBatch = 100;

    /// <summary>How long the loop waits for a new event before it asks for a lagging acknowledgement.</summary>
    public static readonly TimeSpan AckPollInterval = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan s_firstRetryDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly Lock _lock = new();
    private readonly Queue<InboundEvent> _queue = new();
    private readonly TaskCompletionSource _abandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextDelivery;
    private long _sentThrough;
    private long _ackedThrough;
    private bool _completed;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _running;
    private bool _detached;
    private bool _loggedTrim;
    private Task _loop = Task.CompletedTask;

    /// <summary>Completes when the grain could not be reached for the redelivery timeout.</summary>
    public Task Abandoned => _abandoned.Task;

    /// <summary>True once the grain said it has no live call for this socket.</summary>
    public bool Detached
    {
        get
        {
            lock (_lock)
            {
                return _detached;
            }
        }
    }

    /// <summary>Events dropped because the queue was full.</summary>
    public long Trimmed { get; private set; }

    /// <summary>Failed delivery attempts (timeouts, rejections) so far.</summary>
    public long FailedAttempts { get; private set; }

    /// <summary>Queues a media message.</summary>
    public void EnqueueMedia(InboundMedia media) => Enqueue(InboundKind.Media, media, null, null);

    /// <summary>Queues a mark echo.</summary>
    public void EnqueueMark(MarkEcho mark) => Enqueue(InboundKind.Mark, null, mark, null);

    /// <summary>Queues a key press.</summary>
    public void EnqueueDtmf(DtmfEvent dtmf) => Enqueue(InboundKind.Dtmf, null, null, dtmf);

    /// <summary>Completes once the grain has applied everything queued so far (or delivery ended). Not "acknowledged":
    /// a handler holding audio for a chunk releases it only on <c>stop</c>, which must not wait for it.</summary>
    public Task FlushAsync()
    {
        lock (_lock)
        {
            return !_running || _sentThrough >= _nextDelivery ? Task.CompletedTask : _applied.Task;
        }
    }

    /// <summary>The grain's outbound batch with this watermark was written to the socket: events up to it have all
    /// their output here and are never re-delivered (an acknowledgement that arrives by the other path).</summary>
    public void Covered(long watermark)
    {
        lock (_lock)
        {
            if (watermark <= _ackedThrough)
            {
                return;
            }

            _ackedThrough = watermark;
            _sentThrough = Math.Max(_sentThrough, watermark);
            while (_queue.Count > 0 && _queue.Peek().Delivery <= _ackedThrough)
            {
                _queue.Dequeue();
            }
        }
    }

    /// <summary>The stream is ending: stop asking for acknowledgements (what is queued no longer matters).</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            _arrived.TrySetResult();
        }
    }

    private void Enqueue(InboundKind kind, InboundMedia? media, MarkEcho? mark, DtmfEvent? dtmf)
    {
        lock (_lock)
        {
            if (_detached || _completed || _abandoned.Task.IsCompleted)
            {
                return;
            }

            _queue.Enqueue(new InboundEvent(++_nextDelivery, kind, media, mark, dtmf));
            if (_queue.Count > options.MaxUndeliveredEvents)
            {
                _queue.Dequeue();
                Trimmed++;
                if (!_loggedTrim)
                {
                    _loggedTrim = true;
                    MediaStreamLog.UndeliveredTrimmed(logger, connectionId, remoteAddress, options.MaxUndeliveredEvents);
                }
            }

            // This event is not applied yet: a flush from now on waits for the next "all applied". Without this, a
            // signal completed before the event (the loop went idle, or everything earlier was just answered) would let
            // stop overtake the event.
            if (_applied.Task.IsCompleted)
            {
                _applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _arrived.TrySetResult();
            if (!_running)
            {
                _running = true;
                _loop = Task.Run(RunAsync);
            }
        }
    }

    // Under the lock: ends the loop. Nothing is waiting for more once it stops.
    private void Stop()
    {
        _running = false;
        _applied.TrySetResult();
    }

    private async Task RunAsync()
    {
        long? outageStart = null;
        var attempts = 0;
        var delay = s_firstRetryDelay;
        while (true)
        {
            InboundBatch batch;
            Task? arrival = null;
            lock (_lock)
            {
                if (_queue.Count == 0 || _completed)
                {
                    Stop();
                    return;
                }

                if (_sentThrough >= _nextDelivery)
                {
                    // All sent, not all acknowledged: wait for news, then ask with whatever is new (maybe nothing).
                    _applied.TrySetResult();
                    _applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    arrival = _arrived.Task;
                }
            }

            if (arrival is not null)
            {
                await Task.WhenAny(arrival, Task.Delay(AckPollInterval, time)).ConfigureAwait(false);
            }

            lock (_lock)
            {
                if (_queue.Count == 0 || _completed)
                {
                    Stop();
                    return;
                }

                var sentThrough = _sentThrough;
                batch = new InboundBatch(socketId, _queue.Where(e => e.Delivery > sentThrough).Take(MaxBatch).ToArray());
            }

            var lost = connectionLost?.Invoke() ?? CancellationToken.None;
            try
            {
                var ack = await grain.Deliver(batch).WaitAsync(options.DeliveryAttemptTimeout, time, lost).ConfigureAwait(false);
                if (outageStart is { } began)
                {
                    MediaStreamLog.DeliveryRecovered(logger, connectionId, remoteAddress, attempts, time.GetElapsedTime(began).TotalMilliseconds);
                    outageStart = null;
                    attempts = 0;
                    delay = s_firstRetryDelay;
                }

                lock (_lock)
                {
                    if (batch.Events.Count > 0)
                    {
                        _sentThrough = Math.Max(_sentThrough, batch.Events[^1].Delivery);
                    }

                    _ackedThrough = Math.Max(_ackedThrough, ack.DeliveredThrough);
                    while (_queue.Count > 0 && _queue.Peek().Delivery <= _ackedThrough)
                    {
                        _queue.Dequeue();
                    }

                    if (_sentThrough >= _nextDelivery)
                    {
                        _applied.TrySetResult();
                    }

                    if (!ack.Attached)
                    {
                        _detached = true;
                        _queue.Clear();
                    }
                }
            }
            catch (Exception ex)
            {
                lock (_lock)
                {
                    // The outcome is unknown: send again everything not acknowledged (the grain skips what it has).
                    _sentThrough = _ackedThrough;
                }

                FailedAttempts++;
                attempts++;
                if (outageStart is null)
                {
                    outageStart = time.GetTimestamp();
                    MediaStreamLog.DeliveryRetrying(logger, ex, connectionId, remoteAddress, batch.Events.Count);
                }

                var elapsed = time.GetElapsedTime(outageStart.Value);
                if (elapsed >= options.RedeliveryTimeout)
                {
                    int pending;
                    lock (_lock)
                    {
                        pending = _queue.Count;
                        _queue.Clear();
                        Stop();
                    }

                    MediaStreamLog.DeliveryAbandoned(logger, connectionId, remoteAddress, elapsed.TotalMilliseconds, pending);
                    _abandoned.TrySetResult();
                    return;
                }

                if (!lost.IsCancellationRequested)
                {
                    await Task.Delay(delay, time).ConfigureAwait(false);
                    delay = delay * 2 > s_maxRetryDelay ? s_maxRetryDelay : delay * 2;
                }
            }
        }
    }
}
