using System.Threading.Channels;
using Switchboard.Grains;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>
/// A connection grain whose every <c>Deliver</c> call the test answers by hand: each call is queued as a
/// <see cref="PendingDelivery"/> the test awaits (<see cref="NextCallAsync"/>) and then acknowledges, fails before or after
/// applying, or leaves hanging. Applying works as the real grain does: each delivery number once, in order.
/// </summary>
internal sealed class ScriptedConnectionGrain : IConnectionGrain
{
    private readonly Lock _lock = new();
    private readonly List<InboundEvent> _applied = [];
    private readonly List<InboundBatch> _calls = [];
    private readonly Channel<PendingDelivery> _pending = Channel.CreateUnbounded<PendingDelivery>();

    /// <summary>Events applied, in the order they were applied (never one delivery number twice).</summary>
    public IReadOnlyList<InboundEvent> Applied
    {
        get
        {
            lock (_lock)
            {
                return [.. _applied];
            }
        }
    }

    /// <summary>Every batch received, in order.</summary>
    public IReadOnlyList<InboundBatch> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public long DeliveredThrough { get; private set; }

    public Task<DeliveryAck> Deliver(InboundBatch batch)
    {
        var call = new PendingDelivery(this, batch);
        lock (_lock)
        {
            _calls.Add(batch);
        }

        _pending.Writer.TryWrite(call);
        return call.Answer;
    }

    /// <summary>The next <c>Deliver</c> call not yet taken, waiting up to <paramref name="timeout"/> (real time) for it.</summary>
    public async Task<PendingDelivery> NextCallAsync(string phase, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        using var cts = new CancellationTokenSource(limit);
        try
        {
            return await _pending.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{phase}: expected Deliver call {Calls.Count + 1} within {limit}, but the grain saw {Calls.Count} call(s): {Describe(Calls)}");
        }
    }

    /// <summary>Takes a call that arrived and was not taken yet, if any.</summary>
    public bool TryTakeCall([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PendingDelivery? call) => _pending.Reader.TryRead(out call);

    public static string Describe(IEnumerable<InboundBatch> calls) =>
        string.Join(" ", calls.Select(c => "[" + string.Join(",", c.Events.Select(e => e.Delivery)) + "]"));

    private DeliveryAck Apply(InboundBatch batch)
    {
        lock (_lock)
        {
            foreach (var inbound in batch.Events)
            {
                if (inbound.Delivery > DeliveredThrough)
                {
                    _applied.Add(inbound);
                    DeliveredThrough = inbound.Delivery;
                }
            }

            return new DeliveryAck(DeliveredThrough, Attached: true);
        }
    }

    public Task<AttachResult> Start(StreamStart start, IConnectionObserver observer, string gatewayId, string socketId, string? remoteAddress = null) => throw Unused();

    public Task Stop(StreamStop stop) => throw Unused();

    public Task SocketClosed(SocketClosure closure) => throw Unused();

    public Task ReportRoundTrip(double roundTripMs) => throw Unused();

    public Task<EnqueueResult> EnqueueMedia(byte[] audio) => throw Unused();

    public Task<EnqueueResult> EnqueueMark(string name) => throw Unused();

    public Task Clear() => throw Unused();

    public Task<ConnectionSnapshot> GetSnapshot() => throw Unused();

    private static NotSupportedException Unused() => new("Only Deliver is scripted.");

    /// <summary>One <c>Deliver</c> call waiting for the test's answer.</summary>
    internal sealed class PendingDelivery(ScriptedConnectionGrain grain, InboundBatch batch)
    {
        private readonly TaskCompletionSource<DeliveryAck> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public InboundBatch Batch { get; } = batch;

        public IReadOnlyList<long> Deliveries => [.. Batch.Events.Select(e => e.Delivery)];

        public Task<DeliveryAck> Answer => _answer.Task;

        /// <summary>Applies the batch and acknowledges it.</summary>
        public void Acknowledge() => _answer.TrySetResult(grain.Apply(Batch));

        /// <summary>Applies the batch but acknowledges only through <paramref name="through"/>: the application holds the
        /// rest (Echo waits for a full chunk), so the gateway must keep it.</summary>
        public void AcknowledgeHolding(long through)
        {
            grain.Apply(Batch);
            _answer.TrySetResult(new DeliveryAck(through, Attached: true));
        }

        /// <summary>Answers with <paramref name="ack"/> without applying anything.</summary>
        public void AnswerWith(DeliveryAck ack) => _answer.TrySetResult(ack);

        /// <summary>The call never reached the grain (a rejected message).</summary>
        public void FailUnapplied() => _answer.TrySetException(new InvalidOperationException("silo unavailable (scripted)"));

        /// <summary>The grain applied the batch but the answer was lost (a timeout whose outcome was unknown).</summary>
        public void FailAfterApplying()
        {
            grain.Apply(Batch);
            _answer.TrySetException(new TimeoutException("response lost (scripted)"));
        }
    }
}
