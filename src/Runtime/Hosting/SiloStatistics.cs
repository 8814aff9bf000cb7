using Switchboard.Runtime.Catalog;
using Switchboard.Runtime.Messaging;

namespace Switchboard.Runtime.Hosting;

/// <summary>Reads figures off the catalog on demand; nothing is cached, so a report is never stale.</summary>
internal sealed class SiloStatistics(GrainCatalog catalog, SiloIdentity identity, TimeProvider timeProvider) : ISiloStatistics
{
    public string SiloId => identity.Id;

    public DateTimeOffset StartedAt { get; } = timeProvider.GetUtcNow();

    public int ActivationCount => catalog.Count;

    public int GetActivationCount(string grainType) => catalog.CountOfType(grainType);
}
