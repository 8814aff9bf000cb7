namespace Switchboard.Postgres.Storage;

/// <summary>
/// When the PostgreSQL grain storage stops trying the database (configuration section
/// <c>Postgres:StorageCircuitBreaker</c>, one set per storage name). See <see cref="CircuitBreakingGrainStorage"/>.
/// </summary>
public sealed class GrainStorageCircuitBreakerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Postgres:StorageCircuitBreaker";

    /// <summary>Default <see cref="FailureThreshold"/>.</summary>
    public const int DefaultFailureThreshold = 3;

    /// <summary>Smallest <see cref="FailureThreshold"/>: Polly's minimum throughput cannot be below 2, and one failed
    /// call opening the breaker would make a single slow query fail every grain.</summary>
    public const int MinFailureThreshold = 2;

    /// <summary>Largest <see cref="FailureThreshold"/>.</summary>
    public const int MaxFailureThreshold = 1000;

    /// <summary>Default <see cref="SamplingDuration"/>.</summary>
    public static readonly TimeSpan DefaultSamplingDuration = TimeSpan.FromSeconds(2);

    /// <summary>Default <see cref="BreakDuration"/>.</summary>
    public static readonly TimeSpan DefaultBreakDuration = TimeSpan.FromMilliseconds(500);

    /// <summary>Default <see cref="MaxBreakDuration"/>.</summary>
    public static readonly TimeSpan DefaultMaxBreakDuration = TimeSpan.FromSeconds(2);

    /// <summary>Shortest break or sampling window Polly accepts.</summary>
    public static readonly TimeSpan MinDuration = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest break or sampling window accepted: a longer break keeps refusing calls for that long after the
    /// database is back.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    /// <summary>Failed calls that open the breaker: at least this many calls within <see cref="SamplingDuration"/>, every
    /// one of them a failure to reach the database. Default 3.</summary>
    public int FailureThreshold { get; set; } = DefaultFailureThreshold;

    /// <summary>The window over which <see cref="FailureThreshold"/> is counted. A success inside it keeps the breaker
    /// closed; it opens at most this long after the last success once enough calls fail. Default 2 s.</summary>
    public TimeSpan SamplingDuration { get; set; } = DefaultSamplingDuration;

    /// <summary>How long the breaker first stays open before it lets one probe through. Default 0.5 s.</summary>
    public TimeSpan BreakDuration { get; set; } = DefaultBreakDuration;

    /// <summary>Each failed probe doubles the break, up to this. It is also the longest a call is refused after the
    /// database is back. Default 2 s.</summary>
    public TimeSpan MaxBreakDuration { get; set; } = DefaultMaxBreakDuration;
}
