using Switchboard.Runtime;
using Switchboard.Runtime.Storage;

namespace Switchboard.Grains.Tests.Fakes;

/// <summary>
/// Grain state kept as live objects (no serialization, so plain test observers survive), with the storage contract's
/// ETag rules. Failures can be switched on to test how grains cope with a store that is down or with another writer.
/// </summary>
internal sealed class FakePersistentStateFactory : IPersistentStateFactory
{
    private readonly Dictionary<(GrainId, string), (object? Value, string ETag)> _records = [];
    private int _etags;

    public int Writes { get; private set; }

    public int Clears { get; private set; }

    public int Reads { get; private set; }

    /// <summary>When set, writes and clears throw it (wrapped as the real PersistentState does).</summary>
    public Exception? Failure { get; set; }

    /// <summary>When set, writes wait for it before they take effect (a slow store).</summary>
    public Task? WriteGate { get; set; }

    /// <summary>When set, reads throw it.</summary>
    public Exception? ReadFailure { get; set; }

    public IPersistentState<T> Create<T>(GrainId grainId, string stateName) => new FakeState<T>(this, (grainId, stateName));

    public bool Contains(GrainId grainId, string stateName) => _records.ContainsKey((grainId, stateName));

    public T? Stored<T>(GrainId grainId, string stateName)
        => _records.TryGetValue((grainId, stateName), out var record) ? (T?)record.Value : default;

    /// <summary>Another activation writes: the stored ETag changes, so this activation's next write conflicts.</summary>
    public void WriteByAnotherActivation(GrainId grainId, string stateName)
    {
        var key = (grainId, stateName);
        _records[key] = (_records.GetValueOrDefault(key).Value, NewETag());
    }

    private string NewETag() => $"etag-{++_etags}";

    private sealed class FakeState<T>(FakePersistentStateFactory store, (GrainId GrainId, string Name) key) : IPersistentState<T>
    {
        public T? State { get; set; }

        public bool RecordExists { get; private set; }

        public string? ETag { get; private set; }

        public Task ReadStateAsync(CancellationToken cancellationToken)
        {
            store.Reads++;
            if (store.ReadFailure is { } failure)
            {
                return Task.FromException(new GrainStorageException($"Reading state '{key.Name}' of grain {key.GrainId} failed", failure));
            }

            if (store._records.TryGetValue(key, out var record))
            {
                (State, ETag, RecordExists) = ((T?)record.Value, record.ETag, true);
            }
            else
            {
                (State, ETag, RecordExists) = (default, null, false);
            }

            return Task.CompletedTask;
        }

        public Task WriteStateAsync(CancellationToken cancellationToken)
            => store.WriteGate is { IsCompleted: false } gate ? WriteAfterAsync(gate) : Write();

        private async Task WriteAfterAsync(Task gate)
        {
            await gate;
            await Write();
        }

        private Task Write()
        {
            if (store.Failure is { } failure)
            {
                return Task.FromException(new GrainStorageException($"Writing state '{key.Name}' of grain {key.GrainId} failed", failure));
            }

            if (!string.Equals(store._records.GetValueOrDefault(key).ETag, ETag, StringComparison.Ordinal))
            {
                return Task.FromException(new InconsistentStateException($"Writing state '{key.Name}' of grain {key.GrainId}: ETag mismatch"));
            }

            store.Writes++;
            ETag = store.NewETag();
            RecordExists = true;
            store._records[key] = (State, ETag);
            return Task.CompletedTask;
        }

        public Task ClearStateAsync(CancellationToken cancellationToken)
        {
            if (store.Failure is { } failure)
            {
                return Task.FromException(new GrainStorageException($"Clearing state '{key.Name}' of grain {key.GrainId} failed", failure));
            }

            if (store._records.TryGetValue(key, out var record))
            {
                if (!string.Equals(record.ETag, ETag, StringComparison.Ordinal))
                {
                    return Task.FromException(new InconsistentStateException($"Clearing state '{key.Name}' of grain {key.GrainId}: ETag mismatch"));
                }

                store._records.Remove(key);
            }

            store.Clears++;
            (State, ETag, RecordExists) = (default, null, false);
            return Task.CompletedTask;
        }
    }
}
