using Switchboard.Runtime;
using Switchboard.Runtime.Storage;

namespace Switchboard.Grains.Tests.Fakes;

/// <summary>An in-memory grain store whose writes can be made to fail, as a store outage would (thread-safe).</summary>
internal sealed class FlakyGrainStorage : IGrainStorage
{
    private readonly InMemoryGrainStorage _inner = new();
    private int _writes;
    private int _failedWrites;
    private volatile bool _failWrites;

    public bool FailWrites
    {
        get => _failWrites;
        set => _failWrites = value;
    }

    public int Writes => Volatile.Read(ref _writes);

    public int FailedWrites => Volatile.Read(ref _failedWrites);

    public int Count => _inner.Count;

    public Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
        => _inner.ReadAsync(grainId, stateName, cancellationToken);

    public async Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        if (_failWrites)
        {
            Interlocked.Increment(ref _failedWrites);
            throw new TimeoutException("grain store unreachable (test outage)");
        }

        var etag = await _inner.WriteAsync(grainId, stateName, data, expectedETag, cancellationToken);
        Interlocked.Increment(ref _writes);
        return etag;
    }

    public Task ClearAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken)
        => _failWrites ? Task.FromException(new TimeoutException("grain store unreachable (test outage)")) : _inner.ClearAsync(grainId, stateName, expectedETag, cancellationToken);
}
