namespace Switchboard.Bench.LoadGen;

/// <summary>Outcome of the capacity search for one server.</summary>
internal sealed record SearchResult
{
    /// <summary>Server searched.</summary>
    public required ServerKind Server { get; init; }

    /// <summary>Largest N with p99 &lt; 50 ms and nothing lost (0 if none passed).</summary>
    public int MaxCalls { get; init; }

    /// <summary>Smallest N that failed, if any.</summary>
    public int? SmallestFailure { get; init; }

    /// <summary>False when the search stopped on its trial or time budget before converging.</summary>
    public bool Converged { get; init; }

    /// <summary>Every trial of the search, in order.</summary>
    public IReadOnlyList<TrialResult> Trials { get; init; } = [];
}
