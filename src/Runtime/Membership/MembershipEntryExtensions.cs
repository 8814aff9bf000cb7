using Switchboard.Runtime.Configuration;

namespace Switchboard.Runtime.Membership;

/// <summary>Liveness rules over table rows shared by the agent, the reader and the tables.</summary>
internal static class MembershipEntryExtensions
{
    /// <summary>True if the row is still Active but its heartbeat is older than the allowed miss period.</summary>
    public static bool IsStale(this MembershipEntry entry, ClusterMembershipOptions options, DateTimeOffset now)
        => entry.Status == SiloStatus.Active && now - entry.EffectiveIAmAliveTime > options.AllowedIAmAliveMissPeriod;

    /// <summary>Votes younger than the expiration, optionally leaving out one voter's.</summary>
    public static List<SuspectVote> FreshVotes(this MembershipEntry entry, ClusterMembershipOptions options, DateTimeOffset now, SiloAddress? except = null)
        => [.. entry.SuspectTimes.Where(v => now - v.Time < options.DeathVoteExpirationTimeout && v.Voter != except)];

    /// <summary>A silo that still takes part in the protocol (probed, may vote): Active or leaving but not Dead.</summary>
    public static bool IsFunctional(this SiloStatus status)
        => status is SiloStatus.Active or SiloStatus.ShuttingDown or SiloStatus.Stopping;
}
