using Microsoft.AspNetCore.Http.Features;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>Replaces the server's upgrade feature so the upgraded transport is a <see cref="PingTimingStream"/>.</summary>
internal sealed class PingTimingUpgradeFeature(IHttpUpgradeFeature inner, PingRoundTripMonitor monitor, TimeProvider timeProvider) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        var transport = await inner.UpgradeAsync().ConfigureAwait(false);
        return new PingTimingStream(transport, monitor, timeProvider);
    }
}
