using Switchboard.Runtime.GrainDirectory;
using Switchboard.Runtime.Membership;

namespace Switchboard.Runtime.Tests.Routing;

/// <summary>A dictionary with the directory's compare-and-set rules; counts lookups.</summary>
internal sealed class FakeGrainDirectory : IGrainDirectory
{
    private readonly Dictionary<GrainId, GrainAddress> _entries = [];
    private readonly Lock _lock = new();

    public int Lookups;

    public GrainAddress? Get(GrainId grainId)
    {
        lock (_lock)
        {
            return _entries.GetValueOrDefault(grainId);
        }
    }

    public Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Lookups);
        return Task.FromResult(Get(grainId));
    }

    public Task<GrainAddress> RegisterAsync(GrainAddress address, GrainAddress? previous, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(address.GrainId, out var current) || (previous is not null && current == previous))
            {
                _entries[address.GrainId] = address;
                return Task.FromResult(address);
            }

            return Task.FromResult(current);
        }
    }

    public Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(address.GrainId, out var current) && current == address)
            {
                _entries.Remove(address.GrainId);
            }
        }

        return Task.CompletedTask;
    }

    public Task<int> UnregisterSiloAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var stale = _entries.Where(e => e.Value.Silo == silo).Select(e => e.Key).ToList();
            stale.ForEach(k => _entries.Remove(k));
            return Task.FromResult(stale.Count);
        }
    }
}
