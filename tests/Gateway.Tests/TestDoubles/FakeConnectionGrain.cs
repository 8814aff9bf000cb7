using Switchboard.Grains;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>Hand-written stand-in for the connection grain: records every call in order, and every delivered event as
/// its own call (<c>Media</c>, <c>Mark</c>, <c>Dtmf</c>, with the event's payload), in the order the grain applied them.
/// Like the real grain it applies each delivery number of a socket once (a re-delivered event is not recorded again) and
/// acknowledges what it applied; <see cref="FakeGrainFactory.DeliverBehavior"/> can answer otherwise (fail, hang): the
/// events count as applied and the answer as lost.</summary>
internal sealed class FakeConnectionGrain(string key, FakeGrainFactory factory) : IConnectionGrain
{
    private readonly Lock _lock = new();
    private long _deliveredThrough;

    public string Key { get; } = key;

    public AttachResult StartResult { get; set; } = new(true, ConnectionState.Connected, null);

    public IConnectionObserver? Observer { get; private set; }

    /// <summary>The socket id of the last <c>Start</c>.</summary>
    public string? SocketId { get; private set; }

    public Task<AttachResult> Start(StreamStart start, IConnectionObserver observer, string gatewayId, string socketId, string? remoteAddress = null)
    {
        lock (_lock)
        {
            Observer = observer;
            SocketId = socketId;
            _deliveredThrough = 0;
        }

        factory.Recorder.Record(nameof(Start), start);
        return Task.FromResult(StartResult);
    }

    public Task<DeliveryAck> Deliver(InboundBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long through;
        lock (_lock)
        {
            foreach (var delivered in batch.Events.Where(e => e.Delivery > _deliveredThrough))
            {
                factory.Recorder.Record(delivered.Kind.ToString(), (object?)delivered.Media ?? (object?)delivered.Mark ?? delivered.Dtmf);
                _deliveredThrough = Math.Max(_deliveredThrough, delivered.Delivery);
            }

            through = _deliveredThrough;
        }

        return factory.DeliverBehavior?.Invoke(batch) ?? Task.FromResult(new DeliveryAck(through, Attached: true));
    }

    public Task Stop(StreamStop stop) => Record(nameof(Stop), stop);

    public Task SocketClosed(SocketClosure closure) => Record(nameof(SocketClosed), closure);

    public Task ReportRoundTrip(double roundTripMs)
    {
        factory.RoundTrips.Record(nameof(ReportRoundTrip), roundTripMs);
        return Task.CompletedTask;
    }

    public Task<EnqueueResult> EnqueueMedia(byte[] audio) => throw new NotSupportedException("Application API is not used by the gateway.");

    public Task<EnqueueResult> EnqueueMark(string name) => throw new NotSupportedException("Application API is not used by the gateway.");

    public Task Clear() => throw new NotSupportedException("Application API is not used by the gateway.");

    public Task<ConnectionSnapshot> GetSnapshot() => throw new NotSupportedException("Not used by the gateway.");

    private Task Record(string method, object argument)
    {
        factory.Recorder.Record(method, argument);
        return Task.CompletedTask;
    }
}
