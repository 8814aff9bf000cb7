using Switchboard.Runtime.Storage;

namespace Switchboard.Runtime.Tests.Storage;

/// <summary>A store that is down: every operation throws <see cref="Failure"/>.</summary>
internal sealed class FailingGrainStorage(Exception failure) : IGrainStorage
{
    public Exception Failure { get; } = failure;

    public Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
        => Task.FromException<GrainStateRecord?>(Failure);

    public Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
        => Task.FromException<string>(Failure);

    public Task ClearAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken)
        => Task.FromException(Failure);
}
