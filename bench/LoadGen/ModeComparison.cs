namespace Switchboard.Bench.LoadGen;

/// <summary>
/// One Switchboard mode (embedded or cluster) against the baseline of the same run: capacity and idle memory as ratios
/// with the targets, and whether any of the mode's trials at or below its capacity lost or reordered a byte.
/// A ratio is null when either side has no figure (not run, nothing passed, or the measurement failed).
/// </summary>
internal sealed record ModeComparison
{
    /// <summary>Target on the capacity ratio of embedded mode: at least this fraction of the baseline's calls.</summary>
    public const double EmbeddedMaxCallsTarget = 0.70;

    /// <summary>Target on the capacity ratio of cluster mode (gateway + silo processes on the same machine).</summary>
    public const double ClusterMaxCallsTarget = 0.50;

    /// <summary>Target on memory per idle call in embedded mode: at most this multiple of the baseline's.</summary>
    public const double EmbeddedIdleMemoryTarget = 1.5;

    /// <summary>Target on memory per idle call in cluster mode (gateway and silo together).</summary>
    public const double ClusterIdleMemoryTarget = 2.0;

    /// <summary>The mode compared.</summary>
    public required ServerKind Server { get; init; }

    /// <summary>The mode's capacity (largest passing N; 0 if none passed).</summary>
    public int MaxCalls { get; init; }

    /// <summary>The baseline's capacity in the same run, null if the baseline was not searched.</summary>
    public int? BaselineMaxCalls { get; init; }

    /// <summary>Mode max calls / baseline max calls.</summary>
    public double? MaxCallsRatio { get; init; }

    /// <summary>The capacity target for this mode (≥).</summary>
    public double MaxCallsTarget { get; init; }

    /// <summary>Whether <see cref="MaxCallsRatio"/> meets <see cref="MaxCallsTarget"/> (null without a ratio).</summary>
    public bool? MaxCallsTargetMet => MaxCallsRatio is { } r ? r >= MaxCallsTarget : null;

    /// <summary>The mode's RSS growth per idle call, bytes (null if the measurement failed or did not run).</summary>
    public double? IdleBytesPerCall { get; init; }

    /// <summary>The baseline's RSS growth per idle call, bytes.</summary>
    public double? BaselineIdleBytesPerCall { get; init; }

    /// <summary>Mode bytes per idle call / baseline.</summary>
    public double? IdleMemoryRatio { get; init; }

    /// <summary>Whether <see cref="IdleMemoryRatio"/> is within <see cref="IdleMemoryTarget"/> (null without a ratio).</summary>
    public bool? IdleMemoryTargetMet => IdleMemoryRatio is { } r ? r <= IdleMemoryTarget : null;

    /// <summary>The idle memory target for this mode (≤).</summary>
    public double IdleMemoryTarget { get; init; }

    /// <summary>The mode's trials (sweep and search) at or below its max calls that lost or reordered bytes (target 0).</summary>
    public int LossOrReorderBelowMax { get; init; }

    /// <summary>The capacity target of <paramref name="kind"/>.</summary>
    public static double TargetFor(ServerKind kind) => kind == ServerKind.Cluster ? ClusterMaxCallsTarget : EmbeddedMaxCallsTarget;

    /// <summary>
    /// Compares <paramref name="kind"/> with the baseline from a run's figures: <paramref name="trials"/> are every
    /// trial (sweep and search, any server), <paramref name="search"/> and <paramref name="idle"/> one entry per server
    /// that ran. Null when <paramref name="kind"/> did not run at all.
    /// </summary>
    public static ModeComparison? Compute(ServerKind kind, IEnumerable<TrialResult> trials, IReadOnlyList<SearchResult> search, IReadOnlyList<IdleResult> idle)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(idle);
        var modeSearch = search.FirstOrDefault(s => s.Server == kind);
        var modeIdle = idle.FirstOrDefault(i => i.Server == kind);
        if (modeSearch is null && modeIdle is null)
        {
            return null;
        }

        int max = modeSearch?.MaxCalls ?? 0;
        int? baselineMax = search.FirstOrDefault(s => s.Server == ServerKind.Baseline)?.MaxCalls;
        double? idleBytes = Usable(modeIdle);
        double? baselineIdleBytes = Usable(idle.FirstOrDefault(i => i.Server == ServerKind.Baseline));
        return new ModeComparison
        {
            Server = kind,
            MaxCalls = max,
            BaselineMaxCalls = baselineMax,
            MaxCallsRatio = modeSearch is not null && baselineMax > 0 ? (double)max / baselineMax.Value : null,
            MaxCallsTarget = TargetFor(kind),
            IdleMemoryTarget = kind == ServerKind.Cluster ? ClusterIdleMemoryTarget : EmbeddedIdleMemoryTarget,
            IdleBytesPerCall = idleBytes,
            BaselineIdleBytesPerCall = baselineIdleBytes,
            IdleMemoryRatio = idleBytes is { } m && baselineIdleBytes is { } b && b > 0 ? m / b : null,
            LossOrReorderBelowMax = trials.Count(t => t.Server == kind && t.Calls <= max && (t.BytesLost > 0 || t.BytesMismatched > 0)),
        };
    }

    private static double? Usable(IdleResult? result) => result is { Failure: null, Open: > 0 } ? result.BytesPerCall : null;
}
