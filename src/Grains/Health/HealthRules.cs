namespace Switchboard.Grains.Health;

/// <summary>
/// The cluster status rules, in order:
/// <list type="number">
/// <item><description><b>Unhealthy</b> when no gateway has reported within <see cref="HealthOptions.ReporterSilenceLimit"/>
/// (nothing can hold a socket), or no silo has (nothing can host a grain). Both reasons are given when both hold.</description></item>
/// <item><description><b>Degraded</b> when the p99 of the latency window exceeds <see cref="HealthOptions.LatencyThresholdMs"/>,
/// any known reporter (not yet expired) is silent, or a live silo's last probe of the membership store failed (calls keep
/// flowing, but no silo can be declared dead or join, and checkpoints cannot be written). One reason per cause.</description></item>
/// <item><description><b>Healthy</b> otherwise (no reasons).</description></item>
/// </list>
/// Pure: same inputs, same answer.
/// </summary>
internal static class HealthRules
{
    /// <summary>Applies the rules to the reporters' views and the window's p99.</summary>
    /// <param name="nodes">Known (not expired) reporters, with their silent flag.</param>
    /// <param name="latencyP99Ms">p99 of the window (0 when empty).</param>
    /// <param name="options">Thresholds.</param>
    public static (HealthStatus Status, IReadOnlyList<string> Reasons) Evaluate(IReadOnlyList<NodeHealth> nodes, double latencyP99Ms, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(options);
        var reasons = new List<string>();
        var limit = options.ReporterSilenceLimit.TotalSeconds;
        if (!nodes.Any(n => n.Role == NodeRole.Gateway && !n.Silent))
        {
            reasons.Add($"no gateway has reported within {limit} s");
        }

        if (!nodes.Any(n => n.Role == NodeRole.Silo && !n.Silent))
        {
            reasons.Add($"no silo has reported within {limit} s");
        }

        if (reasons.Count > 0)
        {
            return (HealthStatus.Unhealthy, reasons);
        }

        if (latencyP99Ms > options.LatencyThresholdMs)
        {
            reasons.Add($"p99 latency {latencyP99Ms} ms is over {options.LatencyThresholdMs} ms");
        }

        foreach (var node in nodes.Where(n => n.Silent))
        {
            reasons.Add($"{node.Role.ToString().ToLowerInvariant()} {node.NodeId} has not reported within {limit} s");
        }

        foreach (var node in nodes.Where(n => !n.Silent && n.StoreError is not null))
        {
            reasons.Add($"{node.Role.ToString().ToLowerInvariant()} {node.NodeId} cannot reach the membership store: {node.StoreError}");
        }

        return (reasons.Count > 0 ? HealthStatus.Degraded : HealthStatus.Healthy, reasons);
    }

    /// <summary>Nearest-rank percentile (0 &lt; <paramref name="percentile"/> ≤ 100) of ascending <paramref name="sorted"/>; 0 when empty.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
