namespace Switchboard.Runtime.Storage;

/// <summary>
/// Durable store for grain state (Orleans' <c>IGrainStorage</c>), keyed by grain id and state name, with optimistic
/// concurrency: a write passes the ETag it read (null for "must not exist yet") and fails with
/// <see cref="InconsistentStateException"/> if the stored ETag differs. Implementations: in-memory and PostgreSQL.
/// </summary>
public interface IGrainStorage
{
    /// <summary>The stored state, or null if none.</summary>
    Task<GrainStateRecord?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="data"/> if the stored ETag is <paramref name="expectedETag"/>; returns the new ETag.</summary>
    Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken);

    /// <summary>Deletes the state if the stored ETag is <paramref name="expectedETag"/> (no-op when absent).</summary>
    Task ClearAsync(GrainId grainId, string stateName, string? expectedETag, CancellationToken cancellationToken);
}
