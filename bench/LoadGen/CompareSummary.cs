namespace Switchboard.Bench.LoadGen;

/// <summary>
/// The one-line JSON summary printed at the end of <c>LoadGen compare</c>: capacity, idle memory and their ratios to
/// the baseline for embedded and cluster mode. A field is null when its server did not run or had no figure.
/// </summary>
internal sealed record CompareSummary(
    int? BaselineMaxCalls,
    int? EmbeddedMaxCalls,
    int? ClusterMaxCalls,
    double? EmbeddedMaxCallsRatio,
    double? ClusterMaxCallsRatio,
    double? BaselineIdleBytesPerCall,
    double? EmbeddedIdleBytesPerCall,
    double? ClusterIdleBytesPerCall,
    double? EmbeddedIdleMemoryRatio,
    double? ClusterIdleMemoryRatio,
    int? EmbeddedLossOrReorderBelowMax,
    int? ClusterLossOrReorderBelowMax,
    double ElapsedSeconds)
{
    /// <summary>The summary of <paramref name="report"/>.</summary>
    public static CompareSummary From(CompareReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var embedded = report.Comparisons.FirstOrDefault(c => c.Server == ServerKind.Embedded);
        var cluster = report.Comparisons.FirstOrDefault(c => c.Server == ServerKind.Cluster);
        var baselineIdle = report.Idle.FirstOrDefault(i => i.Server == ServerKind.Baseline);
        return new CompareSummary(
            report.Search.FirstOrDefault(s => s.Server == ServerKind.Baseline)?.MaxCalls,
            report.Search.FirstOrDefault(s => s.Server == ServerKind.Embedded)?.MaxCalls,
            report.Search.FirstOrDefault(s => s.Server == ServerKind.Cluster)?.MaxCalls,
            embedded?.MaxCallsRatio,
            cluster?.MaxCallsRatio,
            baselineIdle is { Failure: null } ? baselineIdle.BytesPerCall : null,
            embedded?.IdleBytesPerCall,
            cluster?.IdleBytesPerCall,
            embedded?.IdleMemoryRatio,
            cluster?.IdleMemoryRatio,
            embedded?.LossOrReorderBelowMax,
            cluster?.LossOrReorderBelowMax,
            Math.Round(report.ElapsedSeconds, 1));
    }
}
