using Switchboard.Grains;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>Hand-written stand-in for the connection grain: records every call in order.</summary>
internal sealed class FakeConnectionGrain(string key, CallRecorder recorder) : IConnectionGrain
{
    public string Key { get; } = key;

    public AttachResult StartResult { get; set; } = new(true, ConnectionState.Connected, null);

    public IConnectionObserver? Observer { get; private set; }

    public Task<AttachResult> Start(StreamStart start, IConnectionObserver observer, string gatewayId)
    {
        Observer = observer;
        recorder.Record(nameof(Start), start);
        return Task.FromResult(StartResult);
    }

    public Task OnMedia(InboundMedia media) => Record(nameof(OnMedia), media);

    public Task OnMark(MarkEcho mark) => Record(nameof(OnMark), mark);

    public Task OnDtmf(DtmfEvent dtmf) => Record(nameof(OnDtmf), dtmf);

    public Task Stop(StreamStop stop) => Record(nameof(Stop), stop);

    public Task SocketClosed(SocketClosure closure) => Record(nameof(SocketClosed), closure);

    public Task ReportRoundTrip(double roundTripMs) => Record(nameof(ReportRoundTrip), roundTripMs);

    public Task<EnqueueResult> EnqueueMedia(byte[] audio) => throw new NotSupportedException("Application API is not used by the gateway.");

    public Task<EnqueueResult> EnqueueMark(string name) => throw new NotSupportedException("Application API is not used by the gateway.");

    public Task Clear() => throw new NotSupportedException("Application API is not used by the gateway.");

    public Task<ConnectionSnapshot> GetSnapshot() => throw new NotSupportedException("Not used by the gateway.");

    private Task Record(string method, object argument)
    {
        recorder.Record(method, argument);
        return Task.CompletedTask;
    }
}
