namespace Switchboard.Bench.LoadGen;

/// <summary>The full result of <c>LoadGen compare</c> (written as JSON). Ratios are mode / baseline, same run.</summary>
internal sealed record CompareReport
{
    /// <summary>UTC start of the run.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>Processor count, OS, .NET version.</summary>
    public required string Machine { get; init; }

    /// <summary>Settings used (the servers compared among them).</summary>
    public required CompareOptions Options { get; init; }

    /// <summary>Sweep trials, interleaved per N in the order of <see cref="CompareOptions.Servers"/>.</summary>
    public IReadOnlyList<TrialResult> Sweep { get; init; } = [];

    /// <summary>Capacity searches, one per server.</summary>
    public IReadOnlyList<SearchResult> Search { get; init; } = [];

    /// <summary>Idle-memory measurements, one per server.</summary>
    public IReadOnlyList<IdleResult> Idle { get; init; } = [];

    /// <summary>Each Switchboard mode that ran against the baseline: ratios, targets, loss below the max.</summary>
    public IReadOnlyList<ModeComparison> Comparisons { get; init; } = [];

    /// <summary>Wall time of the whole run, s.</summary>
    public double ElapsedSeconds { get; init; }
}
