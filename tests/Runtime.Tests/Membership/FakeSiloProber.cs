using Switchboard.Runtime.Membership;

namespace Switchboard.Runtime.Tests.Membership;

/// <summary>The prober of one fake silo, answering as <see cref="FakeSiloNetwork"/> is scripted.</summary>
internal sealed class FakeSiloProber(FakeSiloNetwork network, SiloAddress from) : ISiloProber
{
    public Task<bool> ProbeAsync(SiloAddress silo, TimeSpan timeout, CancellationToken cancellationToken)
        => network.ProbeAsync(from, silo, cancellationToken);
}
