using Switchboard.Grains;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// How a socket's session reaches its connection grain and registers its observer. Twilio streams use the bare
/// <c>streamSid</c> as the grain key; application streams are confined to their own key space (see
/// <see cref="AppStreams.AppGrainKeys"/>), so an application client can never reach a Twilio call's grain.
/// </summary>
/// <remarks>One per socket: it remembers the observer reference it created, because Orleans deletes an observer by its
/// reference, not by the object.</remarks>
internal sealed class ConnectionGrainResolver(IGrainFactory factory, Func<string, string>? keyOf = null, GatewayConnectionWatch? connections = null)
{
    private IConnectionObserver? _reference;

    /// <summary>Cancelled when one of the Orleans client's silo connections closes (cluster mode; never in embedded
    /// mode, where grains are called in process).</summary>
    public CancellationToken ConnectionLost => connections?.ConnectionLost ?? CancellationToken.None;

    /// <summary>The grain of <paramref name="streamSid"/>.</summary>
    public IConnectionGrain Get(string streamSid) => factory.GetGrain<IConnectionGrain>(keyOf is null ? streamSid : keyOf(streamSid));

    /// <summary>A reference the grain can call <paramref name="observer"/> through. Orleans holds the object weakly:
    /// the caller keeps it alive for as long as the socket lives.</summary>
    public IConnectionObserver CreateObserverReference(IConnectionObserver observer)
        => _reference = factory.CreateObjectReference<IConnectionObserver>(observer);

    /// <summary>Stops routing calls to the observer whose reference this resolver created (if any).</summary>
    public void DeleteObserverReference(IConnectionObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (Interlocked.Exchange(ref _reference, null) is { } reference)
        {
            factory.DeleteObjectReference<IConnectionObserver>(reference);
        }
    }
}
