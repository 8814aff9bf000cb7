namespace Switchboard.Bench.LoadGen;

/// <summary>Settings of <c>LoadGen compare</c>. Defaults keep the whole run under about 15 minutes on 2 cores.</summary>
internal sealed record CompareOptions
{
    /// <summary>Servers compared, interleaved in this order at every step. Default baseline, embedded, cluster.</summary>
    public IReadOnlyList<ServerKind> Servers { get; init; } = ServerKindExtensions.All;

    /// <summary>Quick mode (shorter trials, coarser search, 8-minute budget).</summary>
    public bool Quick { get; init; }

    /// <summary>Seconds every call of a trial is live together (after the ramp). Default 10; quick 5.</summary>
    public double MediaSeconds { get; init; } = 10;

    /// <summary>Calls opened per second. Default 200.</summary>
    public double RampRate { get; init; } = 200;

    /// <summary>N of the sweep. Default 100, 200, 400; quick 100, 300.</summary>
    public IReadOnlyList<int> Sweep { get; init; } = [100, 200, 400];

    /// <summary>First N of the capacity search. Default 100.</summary>
    public int SearchStart { get; init; } = 100;

    /// <summary>Largest N the search tries. Default 6400.</summary>
    public int MaxCalls { get; init; } = 6400;

    /// <summary>Bisection stops within this fraction of the largest pass. Default 0.05; quick 0.10.</summary>
    public double Resolution { get; init; } = 0.05;

    /// <summary>Trials per server in the search. Default 10; quick 7.</summary>
    public int MaxTrialsPerServer { get; init; } = 10;

    /// <summary>Idle calls for the memory measurement. Default 2000.</summary>
    public int IdleCalls { get; init; } = 2000;

    /// <summary>The search stops starting trials after this many minutes of the whole run. Default 15; quick 8.</summary>
    public double BudgetMinutes { get; init; } = 15;

    /// <summary>Where the full JSON goes. Default bench/results/latest.json under the repository root.</summary>
    public string? Output { get; init; }

    /// <summary>Quick-mode defaults.</summary>
    public static CompareOptions QuickDefaults { get; } = new()
    {
        Quick = true,
        MediaSeconds = 5,
        Sweep = [100, 300],
        Resolution = 0.10,
        MaxTrialsPerServer = 7,
        BudgetMinutes = 8,
    };
}
