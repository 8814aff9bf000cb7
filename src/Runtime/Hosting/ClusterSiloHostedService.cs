using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Runtime.Catalog;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Core;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.GrainDirectory;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Networking;
using Switchboard.Runtime.Storage;

namespace Switchboard.Runtime.Hosting;

/// <summary>
/// Lifecycle of a cluster silo.
/// Start: create the PostgreSQL tables if needed, listen on <c>Silo:Port</c>, join membership (Joining, connectivity
/// check, Active). Only then is the silo a placement target.
/// Stop (SIGTERM), a graceful hand-off: write ShuttingDown (no new placements), tell connected nodes to stop sending
/// here (they hold each grain's messages in order), deactivate every grain (the connection grain checkpoints its
/// session; each activation leaves the directory), forward any straggler, then write Dead and close the connections.
/// The next message for a handed-off grain re-activates it on another silo from its checkpoint.
/// A silo that reads its own row as Dead (it was voted out) stops the process: the identity never comes back.
/// </summary>
internal sealed class ClusterSiloHostedService(
    IServiceProvider services,
    SiloIdentity identity,
    IOptions<SiloOptions> siloOptions,
    IOptions<RoutingOptions> routingOptions,
    ConnectionManager connections,
    MembershipAgent membership,
    ClusterMessageRouter router,
    GrainCatalog catalog,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<ClusterSiloHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var address = identity.Address!;
        if (services.GetService<IGrainDirectory>() is PostgresGrainDirectory directory)
        {
            await directory.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        if (services.GetService<IGrainStorage>() is PostgresGrainStorage storage)
        {
            await storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        membership.DeclaredDeadLocally += OnDeclaredDead;
        membership.SiloDeclaredDead += OnSiloDeclaredDead;
        var endpoint = await connections.StartListeningAsync(
            new IPEndPoint(IPAddress.Parse(siloOptions.Value.ListenAddress), address.Port), cancellationToken).ConfigureAwait(false);
        await membership.JoinAsync(cancellationToken).ConfigureAwait(false);
        logger.ClusterSiloActive(address.ToString(), endpoint.ToString());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var address = identity.Address!.ToString();
        var started = timeProvider.GetTimestamp();
        logger.ClusterSiloLeaving(address, catalog.Count);
        await membership.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        router.BeginLocalShutdown();
        // Once every peer has answered, nothing addressed to this silo is still on the wire: the grains then process
        // what they already received (deactivation on shutdown drains each mailbox first) and nothing arrives after
        // them that would have to be forwarded, which is what could overtake the callers' own held messages.
        await connections.AnnounceLeavingAsync(routingOptions.Value.LeaveAcknowledgeTimeout, cancellationToken).ConfigureAwait(false);
        await catalog.DeactivateAllAsync(cancellationToken).ConfigureAwait(false);
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        await membership.LeaveAsync(cancellationToken).ConfigureAwait(false);
        await connections.DisposeAsync().ConfigureAwait(false);
        logger.ClusterSiloLeft(address, timeProvider.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Keeps forwarding stragglers until none arrived for a short quiet period, bounded by
    /// <see cref="RoutingOptions.ShutdownDrainTime"/>.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var quiet = TimeSpan.FromMilliseconds(300);
        var deadline = timeProvider.GetTimestamp() + (long)(routingOptions.Value.ShutdownDrainTime.TotalSeconds * timeProvider.TimestampFrequency);
        while (timeProvider.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            var last = router.LastForwardTimestamp;
            if (last == 0 || timeProvider.GetElapsedTime(last) >= quiet)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes a dead silo's directory entries in one statement, so grains nobody calls again (ended calls)
    /// leave no rows behind. Every silo does it (idempotent); grains that are called again are taken over one by one by
    /// the router anyway, so a failure here is only logged.</summary>
    private void OnSiloDeclaredDead(SiloAddress silo) => _ = Task.Run(async () =>
    {
        try
        {
            var removed = await services.GetRequiredService<IGrainDirectory>().UnregisterSiloAsync(silo, CancellationToken.None).ConfigureAwait(false);
            logger.DeadSiloEntriesRemoved(silo.ToString(), removed);
        }
#pragma warning disable CA1031 // Best effort, see above.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.DeadSiloCleanupFailed(ex, silo.ToString());
        }
    });

    private void OnDeclaredDead(string reason)
    {
        logger.ClusterSiloDeclaredDead(identity.Id);
        lifetime.StopApplication();
    }
}
