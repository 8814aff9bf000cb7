using Switchboard.Runtime.Membership;

namespace Switchboard.Runtime.GrainDirectory;

/// <summary>
/// The cluster-wide map from grain id to its single activation. Registration is atomic in the store ("first
/// registration wins"), which is what makes at most one activation per id hold even while silos join and die:
/// an activation serves only after it registered itself, and an entry that names a silo is removed only once
/// membership has declared that silo dead (or by the silo itself on deactivation).
/// Implementations: in-memory (one process, or one shared instance for an in-process test cluster) and PostgreSQL.
/// Store failures surface as exceptions.
/// </summary>
public interface IGrainDirectory
{
    /// <summary>The registered activation of <paramref name="grainId"/>, or null.</summary>
    Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>
    /// Registers <paramref name="address"/> unless the grain already has an entry, and returns the entry that holds
    /// afterwards (the caller's if it won). When <paramref name="previous"/> is given and is exactly the current entry,
    /// it is replaced atomically (used to take over from a dead silo).
    /// </summary>
    Task<GrainAddress> RegisterAsync(GrainAddress address, GrainAddress? previous, CancellationToken cancellationToken);

    /// <summary>Removes the entry if it is exactly <paramref name="address"/> (same silo and activation id).</summary>
    Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken);

    /// <summary>Removes every entry that names <paramref name="silo"/> (after it was declared dead); returns how many.</summary>
    Task<int> UnregisterSiloAsync(SiloAddress silo, CancellationToken cancellationToken);
}
