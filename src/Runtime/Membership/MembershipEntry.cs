namespace Switchboard.Runtime.Membership;

/// <summary>One row of the membership table (Orleans' <c>MembershipEntry</c>).</summary>
public sealed record MembershipEntry
{
    /// <summary>The silo this row describes.</summary>
    public required SiloAddress Silo { get; init; }

    /// <summary>Current status.</summary>
    public required SiloStatus Status { get; init; }

    /// <summary>Configured silo name (logs, dashboard).</summary>
    public required string SiloName { get; init; }

    /// <summary>Machine host name.</summary>
    public required string HostName { get; init; }

    /// <summary>When the process started.</summary>
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>Last liveness heartbeat written by the silo itself.</summary>
    public required DateTimeOffset IAmAliveTime { get; init; }

    /// <summary>Death votes; a new vote from the same voter replaces its older one.</summary>
    public IReadOnlyList<SuspectVote> SuspectTimes { get; init; } = [];

    /// <summary>The later of <see cref="StartTime"/> and <see cref="IAmAliveTime"/>.</summary>
    public DateTimeOffset EffectiveIAmAliveTime => IAmAliveTime > StartTime ? IAmAliveTime : StartTime;
}
