using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Networking;

namespace Switchboard.Runtime.Hosting;

/// <summary>
/// Lifecycle of a cluster client (gateway): reads membership before it serves (so the first call can be placed),
/// opens a connection to every Active silo whenever the view changes (silos call the client's observers back over the
/// connection the client opened: clients accept no connections), and closes everything on stop.
/// </summary>
internal sealed class ClusterClientHostedService(
    SiloIdentity identity,
    MembershipTableReader membership,
    ConnectionManager connections,
    ILogger<ClusterClientHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await membership.StartAsync(cancellationToken).ConfigureAwait(false);
        membership.SnapshotChanged += ConnectToActiveSilos;
        ConnectToActiveSilos(membership.CurrentSnapshot);
        logger.ClusterClientStarted(identity.Id, membership.CurrentSnapshot.ActiveSilos.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        membership.SnapshotChanged -= ConnectToActiveSilos;
        await membership.DisposeAsync().ConfigureAwait(false);
        await connections.DisposeAsync().ConfigureAwait(false);
    }

    private void ConnectToActiveSilos(ClusterMembershipSnapshot snapshot)
    {
        foreach (var silo in snapshot.ActiveSilos)
        {
            // A probe opens the connection if there is none; its result does not matter here.
            _ = connections.ProbeAsync(silo, TimeSpan.FromSeconds(1), CancellationToken.None);
        }
    }
}
