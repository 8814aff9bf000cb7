namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// Tells grain calls in flight that one of the Orleans client's connections to a silo has closed, so they can be sent
/// again at once instead of waiting out their attempt timeout. One per gateway process (cluster mode).
/// </summary>
/// <remarks>
/// Why: Orleans routes a client's calls to a grain through one gateway silo picked by hash, whichever silo hosts the
/// grain, so when a silo is killed it takes with it calls to grains that live on the survivors. Orleans does not fail
/// those calls when the connection closes (they wait for <c>ResponseTimeout</c>); it only reports the connection count
/// (<c>AddGatewayCountChangedHandler</c>, public API). A call sent again picks a live connection. Waiting for
/// <see cref="Configuration.GatewayOptions.DeliveryAttemptTimeout"/> instead added 200 ms to the echo gap of calls
/// on the surviving silo (287 ms measured; the target is 200 ms). Calls in flight on connections that stayed up are
/// sent again too: harmless, the grain skips delivery numbers it has.
/// </remarks>
public sealed class GatewayConnectionWatch
{
    private CancellationTokenSource _current = new();
    private long _losses;

    /// <summary>Cancelled when a connection closes after this was read; read it when a call starts.</summary>
    public CancellationToken ConnectionLost => Volatile.Read(ref _current).Token;

    /// <summary>How many connection losses have been signalled.</summary>
    public long Losses => Interlocked.Read(ref _losses);

    /// <summary>Orleans' <c>GatewayCountChangedHandler</c>: a lower count means a connection closed.</summary>
    public void OnGatewayCountChanged(object? sender, GatewayCountChangedEventArgs e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.NumberOfConnectedGateways < e.PreviousNumberOfConnectedGateways)
        {
            SignalLoss();
        }
    }

    /// <summary>Cancels the token handed out so far and starts a new one.</summary>
    public void SignalLoss()
    {
        Interlocked.Increment(ref _losses);
        var lost = Interlocked.Exchange(ref _current, new CancellationTokenSource());

        // Asynchronously: this runs on Orleans' connection thread, and the waiting calls' retries must not run on it.
        // Not disposed: calls may still be registering on its token; a source without a timer holds nothing to free.
        _ = lost.CancelAsync();
    }
}
