namespace Switchboard.Grains;

/// <summary>Which kind of process a health report comes from.</summary>
[GenerateSerializer]
[Alias("sb.NodeRole")]
public enum NodeRole
{
    /// <summary>A gateway (holds sockets).</summary>
    Gateway,
    /// <summary>A silo (holds grains).</summary>
    Silo,
}

/// <summary>Cluster health status. HTTP 200 for healthy and degraded, 503 for unhealthy.</summary>
[GenerateSerializer]
[Alias("sb.HealthStatus")]
public enum HealthStatus
{
    /// <summary>Everything within thresholds.</summary>
    Healthy,
    /// <summary>Serving, but latency is over threshold or a reporter went silent.</summary>
    Degraded,
    /// <summary>No gateway or no silo reports.</summary>
    Unhealthy,
}

/// <summary>A periodic report from one process.</summary>
/// <param name="NodeId">Stable id of the process for its lifetime (name plus generation).</param>
/// <param name="Role">Gateway or silo.</param>
/// <param name="StartedAt">When the process started.</param>
/// <param name="SentAt">When the report was made.</param>
/// <param name="Connections">Open media streams (gateway) or live connection grains (silo).</param>
/// <param name="LatencySamplesMs">Latency samples since the previous report (milliseconds).</param>
/// <param name="StoreError">Why the reporter's last probe of the membership store failed; null when it succeeded or the
/// reporter does not probe it (gateways).</param>
[GenerateSerializer]
[Immutable]
[Alias("sb.NodeReport")]
public sealed record NodeReport(
    [property: Id(0)] string NodeId,
    [property: Id(1)] NodeRole Role,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset SentAt,
    [property: Id(4)] int Connections,
    [property: Id(5)] double[] LatencySamplesMs,
    [property: Id(6)] string? StoreError = null);

/// <summary>Health of one reporter as the health grain sees it.</summary>
[GenerateSerializer]
[Immutable]
[Alias("sb.NodeHealth")]
public sealed record NodeHealth(
    [property: Id(0)] string NodeId,
    [property: Id(1)] NodeRole Role,
    [property: Id(2)] int Connections,
    [property: Id(3)] DateTimeOffset LastReportAt,
    [property: Id(4)] bool Silent,
    [property: Id(5)] string? StoreError = null);

/// <summary>One point of recent history.</summary>
[GenerateSerializer]
[Immutable]
[Alias("sb.HealthHistoryPoint")]
public sealed record HealthHistoryPoint(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] HealthStatus Status,
    [property: Id(2)] int Connections,
    [property: Id(3)] double LatencyP99Ms);

/// <summary>The cluster's health, as served by <c>GET /health</c>.</summary>
/// <param name="Status">Computed by the rules in <c>HealthRules</c>.</param>
/// <param name="UptimeSeconds">Seconds since the oldest live reporter started.</param>
/// <param name="Connections">Open media streams across all gateways.</param>
/// <param name="LatencyP50Ms">Median of the latency window.</param>
/// <param name="LatencyP99Ms">99th percentile of the latency window (the <c>latency</c> field).</param>
/// <param name="Reasons">Why the status is not healthy.</param>
/// <param name="Nodes">Known reporters.</param>
/// <param name="History">Recent history, oldest first.</param>
[GenerateSerializer]
[Immutable]
[Alias("sb.HealthSnapshot")]
public sealed record HealthSnapshot(
    [property: Id(0)] HealthStatus Status,
    [property: Id(1)] double UptimeSeconds,
    [property: Id(2)] int Connections,
    [property: Id(3)] double LatencyP50Ms,
    [property: Id(4)] double LatencyP99Ms,
    [property: Id(5)] IReadOnlyList<string> Reasons,
    [property: Id(6)] IReadOnlyList<NodeHealth> Nodes,
    [property: Id(7)] IReadOnlyList<HealthHistoryPoint> History)
{
    /// <summary>The cluster's silos as the membership view of the health grain's silo sees them (Dead ones left out).</summary>
    [Id(8)]
    public IReadOnlyList<SiloMembership> Silos { get; init; } = [];

    /// <summary>The membership version of that view.</summary>
    [Id(9)]
    public long MembershipVersion { get; init; }
}

/// <summary>One silo in the membership view.</summary>
/// <param name="Address">Orleans silo address (endpoint and generation).</param>
/// <param name="Name">The silo's name.</param>
/// <param name="Status">Orleans' status name (<c>Joining</c>, <c>Active</c>, <c>ShuttingDown</c>...).</param>
[GenerateSerializer]
[Immutable]
[Alias("sb.SiloMembership")]
public sealed record SiloMembership(
    [property: Id(0)] string Address,
    [property: Id(1)] string Name,
    [property: Id(2)] string Status);
