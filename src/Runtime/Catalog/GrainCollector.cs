using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Diagnostics;

namespace Switchboard.Runtime.Catalog;

/// <summary>Scans the catalog every <see cref="GrainCollectionOptions.CollectionQuantum"/> and deactivates activations
/// idle for <see cref="GrainCollectionOptions.CollectionAge"/>, so collection is up to one quantum late.</summary>
internal sealed class GrainCollector(GrainCatalog catalog, TimeProvider timeProvider, IOptions<GrainCollectionOptions> options, ILogger<GrainCollector> logger)
    : IDisposable
{
    private readonly Lock _lock = new();
    private ITimer? _timer;

    public void Start()
    {
        lock (_lock)
        {
            var quantum = options.Value.CollectionQuantum;
            _timer ??= timeProvider.CreateTimer(static state => ((GrainCollector)state!).Collect(), this, quantum, quantum);
        }
    }

    public void Stop()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    public void Dispose() => Stop();

    private void Collect()
    {
        try
        {
            catalog.CollectIdle(options.Value.CollectionAge);
        }
#pragma warning disable CA1031 // A failed scan must not kill the collector timer; the next quantum retries.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.CollectionFailed(ex);
        }
    }
}
