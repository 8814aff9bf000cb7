namespace Switchboard.Runtime.Storage;

/// <summary>
/// <see cref="IGrainStorage"/> in process memory: the embedded default, and for in-process test clusters one instance
/// shared by several silos stands in for the database. Thread-safe; every conditional operation is atomic under one
/// lock. ETags are fresh strings per write (never reused, so an ETag read before a delete and re-create cannot match).
/// Data is copied on write, so a caller reusing its buffer cannot change what is stored. Nothing survives the process.
/// </summary>
public sealed class InMemoryGrainStorage : IGrainStorage
{
    private readonly Dictionary<(GrainId GrainId, string StateName), GrainStateRecord> _records = [];
    private readonly Lock _lock = new();

    /// <summary>Number of stored records (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _records.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        GrainStoreKeys.ValidateState(grainId, stateName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_records.GetValueOrDefault((grainId, stateName)));
        }
    }

    /// <inheritdoc />
    public Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        GrainStoreKeys.ValidateState(grainId, stateName);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = data.ToArray();
        lock (_lock)
        {
            var key = (grainId, stateName);
            var current = _records.GetValueOrDefault(key);
            if (!string.Equals(current?.ETag, expectedETag, StringComparison.Ordinal))
            {
                throw Conflict("Write", grainId, stateName, expectedETag, current);
            }

            var etag = GrainStoreKeys.NewETag();
            _records[key] = new GrainStateRecord(copy, etag);
            return Task.FromResult(etag);
        }
    }

    /// <inheritdoc />
    public Task ClearAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken)
    {
        GrainStoreKeys.ValidateState(grainId, stateName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var key = (grainId, stateName);
            if (!_records.TryGetValue(key, out var current))
            {
                return Task.CompletedTask;
            }

            if (!string.Equals(current.ETag, expectedETag, StringComparison.Ordinal))
            {
                throw Conflict("Clear", grainId, stateName, expectedETag, current);
            }

            _records.Remove(key);
            return Task.CompletedTask;
        }
    }

    internal static InconsistentStateException Conflict(string operation, GrainId grainId, string stateName, string? expectedETag, GrainStateRecord? current)
        => new($"{operation} of state '{stateName}' of {grainId} refused: expected ETag {expectedETag ?? "(no record)"}, "
            + $"stored {current?.ETag ?? "(no record)"}. Another activation wrote since this one read.");
}
