namespace Switchboard.Runtime.Membership;

/// <summary>
/// The shared, durable membership table (Orleans' <c>IMembershipTable</c>): the rendezvous point where silos and
/// clients find silos, and the agreed view of who is alive. Implementations: in-memory (one process) and PostgreSQL.
/// Store failures surface as exceptions; a compare-and-swap conflict is a <c>false</c> result, not an exception.
/// </summary>
public interface IMembershipTable
{
    /// <summary>Creates the schema and this cluster's version row if missing. Idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Reads every row of this cluster and the table version.</summary>
    Task<MembershipTableSnapshot> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a row and bumps the version, if the version is still <paramref name="expectedVersion"/> and
    /// no row exists for the silo. False on conflict.</summary>
    Task<bool> InsertRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Replaces a row (status, votes, ...) and bumps the version, if the version is still
    /// <paramref name="expectedVersion"/>. False on conflict or when the row does not exist.</summary>
    Task<bool> UpdateRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Blind write of the silo's IAmAlive time; does not change the version.</summary>
    Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset time, CancellationToken cancellationToken);

    /// <summary>Deletes rows that are not Active and whose liveness is older than <paramref name="olderThan"/>.</summary>
    Task CleanupDefunctEntriesAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}
