using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Storage;

namespace Switchboard.Grains.Tests.Fakes;

/// <summary>
/// Grain state shared by every silo of an in-process cluster, as a database is: records outlive the silo that wrote them
/// (Orleans' memory storage keeps them in a grain, which dies with its silo). Records are stored as the cluster mode
/// stores them (System.Text.Json, through the silo's <see cref="SystemTextJsonGrainStorageSerializer"/>), with the
/// ETag rule of Orleans' providers: a write or clear whose ETag is not the stored one throws
/// <see cref="InconsistentStateException"/>. Writes can be made to fail (a store outage) or to wait (a slow store).
/// </summary>
internal sealed class TestGrainStore
{
    private readonly ConcurrentDictionary<string, (BinaryData Data, string ETag)> _records = new();
    private readonly ConcurrentDictionary<string, int> _writes = new();
    private int _failedWrites;
    private int _clears;
    private int _etags;
    private volatile bool _failWrites;
    private volatile Task? _writeGate;
    private volatile IGrainStorageSerializer? _serializer;

    /// <summary>When true, writes and clears throw (the store is unreachable).</summary>
    public bool FailWrites
    {
        get => _failWrites;
        set => _failWrites = value;
    }

    /// <summary>When set, writes wait for it before they take effect.</summary>
    public Task? WriteGate
    {
        get => _writeGate;
        set => _writeGate = value;
    }

    public int FailedWrites => Volatile.Read(ref _failedWrites);

    public int Clears => Volatile.Read(ref _clears);

    /// <summary>Successful writes of <paramref name="grainId"/>'s state.</summary>
    public int Writes(GrainId grainId) => _writes.GetValueOrDefault(grainId.ToString());

    public bool Contains(GrainId grainId, string stateName) => _records.ContainsKey(Key(stateName, grainId));

    /// <summary>The stored JSON, for tests of the stored form.</summary>
    public string? Json(GrainId grainId, string stateName) => _records.TryGetValue(Key(stateName, grainId), out var record) ? record.Data.ToString() : null;

    /// <summary>When set, reads throw it (the store is unreachable while a grain activates).</summary>
    public Exception? ReadFailure { get; set; }

    /// <summary>The stored state of <paramref name="grainId"/>, read back as a silo would.</summary>
    public T? Read<T>(GrainId grainId, string stateName)
        => _records.TryGetValue(Key(stateName, grainId), out var record) && _serializer is { } serializer ? serializer.Deserialize<T>(record.Data) : default;

    /// <summary>A storage provider over this store for one silo.</summary>
    public IGrainStorage For(IGrainStorageSerializer serializer)
    {
        _serializer ??= serializer;
        return new Provider(this, serializer);
    }

    private static string Key(string stateName, GrainId grainId) => $"{grainId}/{stateName}";

    private string NewETag() => $"etag-{Interlocked.Increment(ref _etags)}";

    private sealed class Provider(TestGrainStore store, IGrainStorageSerializer serializer) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (store.ReadFailure is { } failure)
            {
                return Task.FromException(failure);
            }

            if (store._records.TryGetValue(Key(stateName, grainId), out var record))
            {
                grainState.State = serializer.Deserialize<T>(record.Data);
                grainState.ETag = record.ETag;
                grainState.RecordExists = true;
            }
            else
            {
                grainState.State = Activator.CreateInstance<T>();
                grainState.ETag = null;
                grainState.RecordExists = false;
            }

            return Task.CompletedTask;
        }

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (store.WriteGate is { } gate)
            {
                await gate;
            }

            if (store.FailWrites)
            {
                Interlocked.Increment(ref store._failedWrites);
                throw new TimeoutException("grain store unreachable (test outage)");
            }

            var key = Key(stateName, grainId);
            var data = serializer.Serialize(grainState.State);
            var etag = store.NewETag();
            lock (store._records)
            {
                var current = store._records.TryGetValue(key, out var record) ? record.ETag : null;
                if (!string.Equals(current, grainState.ETag, StringComparison.Ordinal))
                {
                    throw new InconsistentStateException($"ETag mismatch writing {key}", current ?? "(none)", grainState.ETag ?? "(none)");
                }

                store._records[key] = (data, etag);
            }

            store._writes.AddOrUpdate(grainId.ToString(), 1, static (_, n) => n + 1);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (store.FailWrites)
            {
                throw new TimeoutException("grain store unreachable (test outage)");
            }

            var key = Key(stateName, grainId);
            lock (store._records)
            {
                var current = store._records.TryGetValue(key, out var record) ? record.ETag : null;
                if (current is not null && !string.Equals(current, grainState.ETag, StringComparison.Ordinal))
                {
                    throw new InconsistentStateException($"ETag mismatch clearing {key}", current, grainState.ETag ?? "(none)");
                }

                store._records.TryRemove(key, out _);
            }

            Interlocked.Increment(ref store._clears);
            grainState.ETag = null;
            grainState.RecordExists = false;
            grainState.State = Activator.CreateInstance<T>();
            return Task.CompletedTask;
        }
    }
}
