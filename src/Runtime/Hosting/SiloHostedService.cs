using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Runtime.Catalog;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Observers;

namespace Switchboard.Runtime.Hosting;

/// <summary>Silo lifecycle: starts idle collection; on shutdown stops it and deactivates every activation
/// (OnDeactivateAsync with <see cref="DeactivationReason.ShuttingDown"/>) within the host's stop token, then drops
/// all observer registrations. Calls arriving after shutdown began fail with <see cref="SiloUnavailableException"/>.</summary>
internal sealed class SiloHostedService(
    GrainCatalog catalog,
    GrainCollector collector,
    ObserverRegistry observers,
    SiloIdentity identity,
    IOptions<MessagingOptions> messagingOptions,
    IOptions<GrainCollectionOptions> collectionOptions,
    ILogger<SiloHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        collector.Start();
        logger.SiloStarted(identity.Id, messagingOptions.Value.ResponseTimeout, collectionOptions.Value.CollectionAge, collectionOptions.Value.CollectionQuantum);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        collector.Stop();
        try
        {
            await catalog.DeactivateAllAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            observers.Clear();
        }
    }
}
