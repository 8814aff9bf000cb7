namespace Switchboard.Bench.LoadGen;

/// <summary>The full result of <c>LoadGen compare</c> (written as JSON). Ratios are Switchboard / baseline, same run.</summary>
internal sealed record CompareReport
{
    /// <summary>UTC start of the run.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>Processor count, OS, .NET version.</summary>
    public required string Machine { get; init; }

    /// <summary>Settings used.</summary>
    public required CompareOptions Options { get; init; }

    /// <summary>Sweep trials, interleaved baseline / Switchboard per N.</summary>
    public IReadOnlyList<TrialResult> Sweep { get; init; } = [];

    /// <summary>Capacity searches.</summary>
    public IReadOnlyList<SearchResult> Search { get; init; } = [];

    /// <summary>Idle-memory measurements.</summary>
    public IReadOnlyList<IdleResult> Idle { get; init; } = [];

    /// <summary>Switchboard max calls / baseline max calls (target ≥ 0.70).</summary>
    public double? MaxCallsRatio { get; init; }

    /// <summary>Switchboard bytes per idle call / baseline (target ≤ 2.0).</summary>
    public double? IdleMemoryRatio { get; init; }

    /// <summary>Switchboard trials at or below its max with lost or mismatched bytes (target 0).</summary>
    public int LossOrReorderBelowMax { get; init; }

    /// <summary>Cluster mode status.</summary>
    public string ClusterMode { get; init; } = "not measured (no cluster mode yet)";

    /// <summary>Wall time of the whole run, s.</summary>
    public double ElapsedSeconds { get; init; }
}
