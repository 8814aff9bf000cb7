namespace Switchboard.Grains.Tests.Fakes;

/// <summary>
/// An <see cref="IConnectionObserver"/> that records what the grain pushed, in order. Every call is kept in
/// <see cref="Attempts"/>; a batch whose (Epoch, Sequence) was already accepted is a retry and, as the gateway's socket
/// observer does, is not written again, so <see cref="Frames"/>, <see cref="Closes"/> and <see cref="Calls"/> hold each
/// batch once: its frames, then its close. Thread-safe (a real silo calls it from the thread pool).
/// </summary>
/// <remarks>With no <see cref="Gate"/> and no failures, <see cref="Deliver"/> completes synchronously, so a session on
/// a single test thread sees its frames arrive before the call that queued them returns.</remarks>
internal sealed class RecordingObserver : IConnectionObserver
{
    private static int s_next;
    private readonly Lock _lock = new();
    private readonly List<OutboundBatch> _attempts = [];
    private readonly List<OutboundBatch> _batches = [];
    private readonly List<OutboundFrame> _frames = [];
    private readonly List<CloseInstruction> _closes = [];
    private readonly List<object> _calls = [];
    private readonly HashSet<(long Epoch, long Sequence)> _written = [];
    private int _failuresLeft;

    /// <summary>Stands for the observer's grain id in a session test (unique per instance).</summary>
    public string Id { get; } = $"observer-{Interlocked.Increment(ref s_next)}";

    /// <summary>The gateway socket this observer stands for (unique per instance).</summary>
    public string SocketId => $"socket-of-{Id}";

    /// <summary>When set, <see cref="Deliver"/> records the attempt, then waits for it before it accepts the batch (a slow
    /// gateway).</summary>
    public Task? Gate { get; set; }

    /// <summary>When true, every delivery throws (a gateway that is gone).</summary>
    public bool FailAll { get; set; }

    /// <summary>Makes the next <paramref name="count"/> deliveries throw.</summary>
    public void FailNext(int count)
    {
        lock (_lock)
        {
            _failuresLeft = count;
        }
    }

    /// <summary>Every call, retries included, in call order.</summary>
    public IReadOnlyList<OutboundBatch> Attempts => Snapshot(_attempts);

    /// <summary>Accepted batches, each once.</summary>
    public IReadOnlyList<OutboundBatch> Batches => Snapshot(_batches);

    /// <summary>Frames of the accepted batches, flattened in order.</summary>
    public IReadOnlyList<OutboundFrame> Frames => Snapshot(_frames);

    /// <summary>Closes of the accepted batches.</summary>
    public IReadOnlyList<CloseInstruction> Closes => Snapshot(_closes);

    /// <summary>Frames and closes interleaved in the order the gateway would write them.</summary>
    public IReadOnlyList<object> Calls => Snapshot(_calls);

    /// <summary>Mark names among <see cref="Frames"/>.</summary>
    public IReadOnlyList<string> Marks => [.. Frames.Where(f => f.Kind == OutboundKind.Mark).Select(f => f.MarkName!)];

    public Task Deliver(OutboundBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        bool fail;
        lock (_lock)
        {
            _attempts.Add(batch);
            fail = FailAll || (_failuresLeft > 0 && _failuresLeft-- > 0);
        }

        if (fail)
        {
            return Task.FromException(new InvalidOperationException($"gateway unreachable (test) for batch {batch.Sequence}"));
        }

        if (Gate is { IsCompleted: false } gate)
        {
            return AcceptAfterAsync(gate, batch);
        }

        Accept(batch);
        return Task.CompletedTask;
    }

    private async Task AcceptAfterAsync(Task gate, OutboundBatch batch)
    {
        await gate;
        Accept(batch);
    }

    private void Accept(OutboundBatch batch)
    {
        lock (_lock)
        {
            if (!_written.Add((batch.Epoch, batch.Sequence)))
            {
                return;
            }

            _batches.Add(batch);
            _frames.AddRange(batch.Frames);
            _calls.AddRange(batch.Frames);
            if (batch.Close is { } close)
            {
                _closes.Add(close);
                _calls.Add(close);
            }
        }
    }

    private List<T> Snapshot<T>(List<T> list)
    {
        lock (_lock)
        {
            return [.. list];
        }
    }
}
