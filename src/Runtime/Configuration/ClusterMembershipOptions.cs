namespace Switchboard.Runtime.Configuration;

/// <summary>
/// Failure-detection and membership-table settings (configuration section <c>Membership</c>).
/// </summary>
/// <remarks>
/// The defaults detect a killed silo cluster-wide in at most about 4 s, where Orleans 10 needs about 15-20 s
/// (5 s probes × 3 misses, then votes and gossip). The differences, and why they are safe:
/// <list type="bullet">
/// <item>Probes every 1 s with a 1 s timeout (Orleans 5 s): a probe is one small frame on a connection that already
/// exists, so ten targets per second cost nothing measurable.</item>
/// <item>2 consecutive misses before a vote (Orleans 3): one lost probe never votes; two in a row on a healthy
/// loopback or LAN link do not happen without a real fault.</item>
/// <item>A broken or refused connection is a failed probe at once (the prober does not wait for the timeout), so a
/// SIGKILLed process, whose sockets the kernel resets, is missed twice within 2 s.</item>
/// <item>The votes needed are capped by the number of other live Active silos, so a 2-silo cluster needs 1 vote
/// and 3 silos need 2 votes, both gathered in the same probe period because every monitor probes every silo of a
/// small cluster.</item>
/// <item>The table is re-read every 1 s (Orleans 60 s, relying on gossip), and the writer re-reads at once, so the
/// Dead row reaches every node within one refresh period.</item>
/// </list>
/// Timeline with defaults after a SIGKILL at t=0: misses at ≤1 s and ≤2 s, votes and the Dead write at ≤2 s, every
/// node has read the Dead row by ≤3 s. A silo that stops answering without resetting connections (a frozen host or a
/// cut cable) costs one extra period per miss for the timeouts, so ≤4 s.
/// </remarks>
public sealed class ClusterMembershipOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Membership";

    /// <summary>Default of <see cref="ProbePeriod"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultProbePeriod = TimeSpan.FromSeconds(1);

    /// <summary>Default of <see cref="ProbeTimeout"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Default of <see cref="NumMissedProbesLimit"/>: 2.</summary>
    public const int DefaultNumMissedProbesLimit = 2;

    /// <summary>Default of <see cref="NumProbedSilos"/>: 10.</summary>
    public const int DefaultNumProbedSilos = 10;

    /// <summary>Default of <see cref="NumVotesForDeathDeclaration"/>: 2.</summary>
    public const int DefaultNumVotesForDeathDeclaration = 2;

    /// <summary>Default of <see cref="DeathVoteExpirationTimeout"/>: 2 minutes.</summary>
    public static readonly TimeSpan DefaultDeathVoteExpirationTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Default of <see cref="TableRefreshPeriod"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultTableRefreshPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Default of <see cref="IAmAlivePeriod"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultIAmAlivePeriod = TimeSpan.FromSeconds(5);

    /// <summary>Default of <see cref="NumMissedTableIAmAliveLimit"/>: 3.</summary>
    public const int DefaultNumMissedTableIAmAliveLimit = 3;

    /// <summary>Default of <see cref="DefunctSiloExpiration"/>: 1 day.</summary>
    public static readonly TimeSpan DefaultDefunctSiloExpiration = TimeSpan.FromDays(1);

    /// <summary>How often each silo probes its monitored silos. Default 1 s (Orleans: 5 s).</summary>
    public TimeSpan ProbePeriod { get; set; } = DefaultProbePeriod;

    /// <summary>How long one probe waits for its answer; at most <see cref="ProbePeriod"/>. A broken connection fails
    /// the probe at once, without waiting. Default 1 s.</summary>
    public TimeSpan ProbeTimeout { get; set; } = DefaultProbeTimeout;

    /// <summary>Consecutive failed probes after which the monitor votes the target dead. Default 2 (Orleans: 3).</summary>
    public int NumMissedProbesLimit { get; set; } = DefaultNumMissedProbesLimit;

    /// <summary>How many successors on the ring (silos sorted by address) each silo probes; a cluster of up to
    /// this many + 1 silos is fully probed by everyone. Default 10.</summary>
    public int NumProbedSilos { get; set; } = DefaultNumProbedSilos;

    /// <summary>Fresh votes needed to declare a silo dead, capped by the number of other live Active silos (so a
    /// 2-silo cluster needs 1). Default 2.</summary>
    public int NumVotesForDeathDeclaration { get; set; } = DefaultNumVotesForDeathDeclaration;

    /// <summary>A vote older than this no longer counts. Default 2 min.</summary>
    public TimeSpan DeathVoteExpirationTimeout { get; set; } = DefaultDeathVoteExpirationTimeout;

    /// <summary>How often every node re-reads the whole table (the only dissemination path: there is no gossip, the
    /// writer of a change re-reads at once). Default 1 s (Orleans: 60 s plus gossip).</summary>
    public TimeSpan TableRefreshPeriod { get; set; } = DefaultTableRefreshPeriod;

    /// <summary>How often a silo writes its IAmAlive heartbeat into its row (no version bump). Default 5 s.</summary>
    public TimeSpan IAmAlivePeriod { get; set; } = DefaultIAmAlivePeriod;

    /// <summary>A row whose heartbeat is older than <see cref="IAmAlivePeriod"/> × this is stale: skipped by the
    /// join connectivity check (so a cluster restarts after a total crash) and not counted when capping the votes
    /// needed; every silo still probes it, so a corpse left Active is voted Dead. Default 3 (15 s).</summary>
    public int NumMissedTableIAmAliveLimit { get; set; } = DefaultNumMissedTableIAmAliveLimit;

    /// <summary>Rows that are not Active and have not been alive for this long are deleted. Default 1 day.</summary>
    public TimeSpan DefunctSiloExpiration { get; set; } = DefaultDefunctSiloExpiration;

    /// <summary>Heartbeat age after which a row is stale (<see cref="IAmAlivePeriod"/> × <see cref="NumMissedTableIAmAliveLimit"/>).</summary>
    internal TimeSpan AllowedIAmAliveMissPeriod => IAmAlivePeriod * NumMissedTableIAmAliveLimit;
}
