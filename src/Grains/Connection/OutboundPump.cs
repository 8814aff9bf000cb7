using Microsoft.Extensions.Logging;

namespace Switchboard.Grains.Connection;

/// <summary>
/// The outbound path to one socket: frames and a close queued by the session leave as <see cref="OutboundBatch"/>es,
/// one awaited <see cref="IConnectionObserver.Deliver"/> call at a time.
/// </summary>
/// <remarks>
/// <para>Why not one one-way call per frame: Orleans does not keep message order (a prototype here reordered 0.16 % of
/// echoed bytes between one client and one silo), and one-way calls vanish silently while a silo is being declared
/// dead. With one call in flight, order is the order of the queue, and a failed call is known and retried.</para>
/// <para>Batching comes free: whatever the application queues while a call is in flight leaves in the next batch, so
/// under load there are fewer, larger calls instead of a growing backlog.</para>
/// <para>Failure: a delivery that fails, or gets no answer within <see cref="AttemptTimeout"/>, is retried with the same
/// sequence number (the gateway drops a batch it already wrote) after 50, 100, 200... ms (at most 500 ms apart) until
/// <see cref="RetryWindow"/> has passed since the first failure; then the batch is dropped and logged, and the next
/// batch goes on. The attempt timeout matters more than it looks: an observer call routed through a silo that just
/// died hangs until the silo's response timeout (5 s), while a retry goes through a live gateway silo at once. Nothing here blocks the grain's turn: the loop is a detached
/// task whose continuations run on the activation's scheduler, between turns.</para>
/// <para>Threading: called only from the grain's turns (or from a single test thread); no locks.</para>
/// <para>Acknowledgement: each batch carries, as <see cref="OutboundBatch.InboundWatermark"/>, the session's consumed
/// inbound number when it was cut. That is exact only if no batch is cut while an inbound event is half handled (its
/// output partly queued, the event not yet consumed), so the session <see cref="Hold"/>s the pump while it applies a
/// delivery and <see cref="Release"/>s it after. Then the frames of every event up to the watermark are in that batch or
/// an earlier one, and no frame of a later event is: the gateway forgets inbound events up to the watermark once it has
/// written the batch, and after a lost activation re-delivers exactly the events whose output it never got.
/// <see cref="SafeThrough"/> is the grain's own, later view of the same.</para>
/// </remarks>
internal sealed class OutboundPump(
    IConnectionObserver observer,
    string observerId,
    string streamSid,
    TimeProvider time,
    ILogger logger,
    Func<long> consumedThrough)
{
    /// <summary>How long a failing delivery is retried before its batch is dropped (longer than a silo takes to be
    /// declared dead, about 2 s).</summary>
    public static readonly TimeSpan RetryWindow = TimeSpan.FromSeconds(10);

    /// <summary>How long one delivery attempt waits for the gateway's answer before it is retried.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan s_firstRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromMilliseconds(500);

    private List<OutboundFrame> _pending = [];
    private CloseInstruction? _close;
    private bool _closeQueued;
    private bool _running;
    private readonly long _epoch = Random.Shared.NextInt64();
    private long _sequence;
    private Task _loop = Task.CompletedTask;
    private long _deliveredWatermark;
    private bool _held;

    /// <summary>The socket's observer reference.</summary>
    public IConnectionObserver Observer => observer;

    /// <summary>The observer's grain id (stored in checkpoints; identifies the socket across activations).</summary>
    public string ObserverId => observerId;

    /// <summary>Batches dropped after their retries ran out.</summary>
    public long DroppedBatches { get; private set; }

    /// <summary>The inbound number up to which the output has reached the gateway, given the session's
    /// <paramref name="consumed"/> number now.</summary>
    public long SafeThrough(long consumed) => !_running && _pending.Count == 0 && _close is null ? consumed : Math.Min(consumed, _deliveredWatermark);

    /// <summary>Completes when everything queued so far has been delivered or dropped.</summary>
    public Task Drained => _loop;

    /// <summary>Queues <paramref name="frame"/>; ignored once a close is queued.</summary>
    public void Send(OutboundFrame frame)
    {
        if (_closeQueued)
        {
            return;
        }

        _pending.Add(frame);
        Kick();
    }

    /// <summary>Queues a close behind the frames queued so far; only the first close counts.</summary>
    public void Close(CloseInstruction instruction)
    {
        if (_closeQueued)
        {
            return;
        }

        _closeQueued = true;
        _close = instruction;
        Kick();
    }

    /// <summary>Cut no batch until <see cref="Release"/> (the session is applying an inbound delivery).</summary>
    public void Hold() => _held = true;

    /// <summary>Ends a <see cref="Hold"/>; what was queued meanwhile leaves now.</summary>
    public void Release()
    {
        _held = false;
        if (_pending.Count > 0 || _close is not null)
        {
            Kick();
        }
    }

    private void Kick()
    {
        if (!_running && !_held)
        {
            _running = true;
            _loop = RunAsync();
        }
    }

    private async Task RunAsync()
    {
        try
        {
            while (!_held && (_pending.Count > 0 || _close is not null))
            {
                var frames = _pending;
                _pending = [];
                var close = _close;
                _close = null;
                var watermark = consumedThrough();
                await DeliverAsync(new OutboundBatch(_epoch, ++_sequence, frames, close, watermark));
                _deliveredWatermark = watermark;
            }
        }
        finally
        {
            _running = false;
        }
    }

    private async Task DeliverAsync(OutboundBatch batch)
    {
        long? firstFailure = null;
        var delay = s_firstRetryDelay;
        while (true)
        {
            try
            {
                await observer.Deliver(batch).WaitAsync(AttemptTimeout, time);
                return;
            }
            catch (Exception ex)
            {
                firstFailure ??= time.GetTimestamp();
                if (time.GetElapsedTime(firstFailure.Value) >= RetryWindow)
                {
                    DroppedBatches++;
                    ConnectionLog.OutboundDropped(logger, streamSid, batch.Sequence, batch.Frames.Count, ex);
                    return;
                }
            }

            await Task.Delay(delay, time);
            delay = delay * 2 > s_maxRetryDelay ? s_maxRetryDelay : delay * 2;
        }
    }
}
