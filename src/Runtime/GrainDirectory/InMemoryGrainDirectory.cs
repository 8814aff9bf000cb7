using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Storage;

namespace Switchboard.Runtime.GrainDirectory;

/// <summary>
/// <see cref="IGrainDirectory"/> in process memory: the embedded default, and for in-process test clusters one instance
/// shared by several silos stands in for the database. Every operation is atomic under one lock, so concurrent
/// registrations of one grain yield exactly one winner and every caller is told the same winner. Comparisons are exact
/// (grain, silo including generation, activation id).
/// </summary>
public sealed class InMemoryGrainDirectory : IGrainDirectory
{
    private readonly Dictionary<GrainId, GrainAddress> _entries = [];
    private readonly Lock _lock = new();

    /// <summary>Number of entries (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        GrainStoreKeys.ValidateGrain(grainId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_entries.GetValueOrDefault(grainId));
        }
    }

    /// <inheritdoc />
    public Task<GrainAddress> RegisterAsync(GrainAddress address, GrainAddress? previous, CancellationToken cancellationToken)
    {
        GrainStoreKeys.ValidateAddress(address);
        if (previous is not null && previous.GrainId != address.GrainId)
        {
            throw new ArgumentException($"previous names {previous.GrainId}, but address names {address.GrainId}.", nameof(previous));
        }

        cancellationToken.ThrowIfCancellationRequested();
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

    /// <inheritdoc />
    public Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        GrainStoreKeys.ValidateAddress(address);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_entries.TryGetValue(address.GrainId, out var current) && current == address)
            {
                _entries.Remove(address.GrainId);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> UnregisterSiloAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var doomed = _entries.Where(e => e.Value.Silo == silo).Select(e => e.Key).ToList();
            foreach (var grainId in doomed)
            {
                _entries.Remove(grainId);
            }

            return Task.FromResult(doomed.Count);
        }
    }
}
