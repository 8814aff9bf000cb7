namespace Switchboard.Runtime.Membership;

/// <summary>
/// Everything in the membership table at one version. Every membership change is a compare-and-swap on
/// <see cref="Version"/>: a writer passes the version it read and the write succeeds only if nobody wrote in between.
/// </summary>
public sealed record MembershipTableSnapshot(long Version, IReadOnlyList<MembershipEntry> Entries)
{
    /// <summary>The empty table at version 0.</summary>
    public static MembershipTableSnapshot Empty { get; } = new(0, []);

    /// <summary>The row of <paramref name="silo"/>, if any.</summary>
    public MembershipEntry? Find(SiloAddress silo) => Entries.FirstOrDefault(e => e.Silo == silo);
}
