using System.Threading.Channels;
using Switchboard.Grains;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// The send queue of one socket: many writers (observer calls, the session), one reader (the send loop), order kept.
/// </summary>
/// <remarks>
/// <para>Bound: at most <c>capacity</c> frames. Writers never wait: a full queue must not push back into the runtime,
/// whose observer mailbox is unbounded, so waiting would only move the growth there. Instead, when a frame arrives at a
/// full queue the oldest queued frame is dropped: the client is behind, and the oldest audio is the least worth playing
/// late, so the queue always holds the newest stretch of the outbound stream. A mark dropped with its audio is resolved
/// by the grain when a later mark is echoed (its FIFO pops the skipped ones). Clears are never dropped (a barge-in must
/// reach the client); if the queue holds nothing but clears, the arriving frame is. The caller learns it as
/// <see cref="SendQueueOutcome.QueuedAfterTrim"/> or <see cref="SendQueueOutcome.DroppedFull"/>.</para>
/// <para>Close commands are never refused while the queue is open (a socket sees at most a few). After
/// <see cref="Complete"/> every enqueue is refused with <see cref="SendQueueOutcome.DroppedClosed"/>; what is still
/// queued can be drained with <see cref="TryDequeue"/> so waiters on a close are released.</para>
/// </remarks>
internal sealed class SocketSendQueue
{
    private readonly object _gate = new();
    private readonly Queue<OutboundCommand> _items = new();
    private readonly int _capacity;
    // Wakes the single reader; one pending token is enough, extra rings are dropped.
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        SingleWriter = false,
    });

    private int _frames;
    private bool _completed;

    public SocketSendQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Frames queued now (close commands not counted).</summary>
    public int FrameCount
    {
        get
        {
            lock (_gate)
            {
                return _frames;
            }
        }
    }

    public SendQueueOutcome Enqueue(OutboundCommand command)
    {
        var outcome = SendQueueOutcome.Queued;
        lock (_gate)
        {
            if (_completed)
            {
                return SendQueueOutcome.DroppedClosed;
            }

            if (command.Frame is not null)
            {
                if (_frames >= _capacity)
                {
                    if (!TrimOldestFrame())
                    {
                        return SendQueueOutcome.DroppedFull;
                    }

                    outcome = SendQueueOutcome.QueuedAfterTrim;
                }

                _frames++;
            }

            _items.Enqueue(command);
        }

        _doorbell.Writer.TryWrite(true);
        return outcome;
    }

    /// <summary>Drops every queued frame (closes stay) and returns how many: the peer will never play them.</summary>
    public int DropFrames()
    {
        lock (_gate)
        {
            var dropped = _frames;
            var count = _items.Count;
            for (var i = 0; i < count; i++)
            {
                var item = _items.Dequeue();
                if (item.Frame is null)
                {
                    _items.Enqueue(item);
                }
            }

            _frames = 0;
            return dropped;
        }
    }

    public bool TryDequeue(out OutboundCommand command)
    {
        lock (_gate)
        {
            if (!_items.TryDequeue(out command))
            {
                return false;
            }

            if (command.Frame is not null)
            {
                _frames--;
            }

            return true;
        }
    }

    /// <summary>Waits until something is queued (true) or the queue is completed and empty (false).</summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_items.Count > 0)
                {
                    return true;
                }

                if (_completed)
                {
                    return false;
                }
            }

            if (await _doorbell.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _doorbell.Reader.TryRead(out _);
            }
        }
    }

    /// <summary>Refuses every later enqueue; the reader drains what is left.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
        }

        _doorbell.Writer.TryWrite(true);
    }

    // Called under the lock with a full queue: drops the oldest frame that is not a clear, keeping the rest in order.
    private bool TrimOldestFrame()
    {
        var count = _items.Count;
        var trimmed = false;
        for (var i = 0; i < count; i++)
        {
            var item = _items.Dequeue();
            if (!trimmed && item.Frame is { Kind: not OutboundKind.Clear })
            {
                trimmed = true;
                _frames--;
                continue;
            }

            _items.Enqueue(item);
        }

        return trimmed;
    }
}
