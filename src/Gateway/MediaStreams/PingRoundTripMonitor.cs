namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// Per-connection hand-off between the transport wrapper (<see cref="PingTimingStream"/>, which sees PING go out and
/// PONG come back) and the session (which reports the round trip). Stored in the request's features.
/// </summary>
internal sealed class PingRoundTripMonitor
{
    private Action<double>? _handler;

    /// <summary>Sets who receives measured round trips (milliseconds).</summary>
    public void Subscribe(Action<double> handler) => Volatile.Write(ref _handler, handler);

    public void Unsubscribe() => Volatile.Write(ref _handler, null);

    public void Report(double roundTripMs) => Volatile.Read(ref _handler)?.Invoke(roundTripMs);
}
