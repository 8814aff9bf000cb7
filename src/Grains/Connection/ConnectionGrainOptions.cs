namespace Switchboard.Grains.Connection;

/// <summary>
/// Settings of every connection grain, bound from the <c>ConnectionGrain</c> configuration section and validated at
/// start-up by <see cref="ConnectionGrainOptionsValidator"/>.
/// </summary>
public sealed class ConnectionGrainOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "ConnectionGrain";

    /// <summary>Default <see cref="RateLimitPerSecond"/>: Twilio sends about 50 media/s per track, 100 with both tracks.</summary>
    public const double DefaultRateLimitPerSecond = 100;

    /// <summary>Default <see cref="RateLimitBurst"/>.</summary>
    public const double DefaultRateLimitBurst = 200;

    /// <summary>Default <see cref="SustainedRateLimit"/>.</summary>
    public static readonly TimeSpan DefaultSustainedRateLimit = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="RateLimitEpisodeGap"/>.</summary>
    public static readonly TimeSpan DefaultRateLimitEpisodeGap = TimeSpan.FromSeconds(1);

    /// <summary>Default <see cref="HeartbeatTimeout"/>.</summary>
    public static readonly TimeSpan DefaultHeartbeatTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Default <see cref="HeartbeatCheckPeriod"/>.</summary>
    public static readonly TimeSpan DefaultHeartbeatCheckPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Default <see cref="MaxBufferedAudio"/>.</summary>
    public static readonly TimeSpan DefaultMaxBufferedAudio = TimeSpan.FromSeconds(10);

    /// <summary>Default <see cref="MaxPendingMarks"/>.</summary>
    public const int DefaultMaxPendingMarks = 1024;

    /// <summary>Default <see cref="RetentionPeriod"/>.</summary>
    public static readonly TimeSpan DefaultRetentionPeriod = TimeSpan.FromSeconds(30);

    /// <summary>Default <see cref="CheckpointPeriod"/>.</summary>
    public static readonly TimeSpan DefaultCheckpointPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Default <see cref="LatencySpikeThresholdMs"/> (the design's latency alert threshold).</summary>
    public const double DefaultLatencySpikeThresholdMs = 200;

    /// <summary>Token-bucket refill rate for inbound <c>media</c>/<c>dtmf</c> messages, per second. Default 100.</summary>
    public double RateLimitPerSecond { get; set; } = DefaultRateLimitPerSecond;

    /// <summary>Token-bucket capacity (largest burst accepted at once). Default 200.</summary>
    public double RateLimitBurst { get; set; } = DefaultRateLimitBurst;

    /// <summary>How long a stream may stay continuously over its rate limit before it is closed with 1008 and
    /// <see cref="ConnectionErrorCode.RateLimit"/>. Default 5 s.</summary>
    public TimeSpan SustainedRateLimit { get; set; } = DefaultSustainedRateLimit;

    /// <summary>A rate-limit episode ends when no message was dropped for this long. Default 1 s.</summary>
    public TimeSpan RateLimitEpisodeGap { get; set; } = DefaultRateLimitEpisodeGap;

    /// <summary>No inbound message for this long closes the stream with <see cref="ConnectionErrorCode.ConnectionTimeout"/>. Default 10 s.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = DefaultHeartbeatTimeout;

    /// <summary>Period of the grain timer that checks the heartbeat and the retention period. Default 1 s.</summary>
    public TimeSpan HeartbeatCheckPeriod { get; set; } = DefaultHeartbeatCheckPeriod;

    /// <summary>Largest amount of outbound audio sent but not yet confirmed played. Default 10 s (80 000 μ-law bytes).</summary>
    public TimeSpan MaxBufferedAudio { get; set; } = DefaultMaxBufferedAudio;

    /// <summary>Largest number of marks awaiting their echo. Default 1024.</summary>
    public int MaxPendingMarks { get; set; } = DefaultMaxPendingMarks;

    /// <summary>How long the grain stays active after a final state (for snapshots) before it deactivates itself. Default 30 s.</summary>
    public TimeSpan RetentionPeriod { get; set; } = DefaultRetentionPeriod;

    /// <summary>Least time between two periodic checkpoints of a live call (written from the heartbeat timer, only when the
    /// sequence or the pending marks moved). Start and final states are written at once regardless. Bounds what a silo
    /// crash loses: inbound accounting since the last checkpoint. Checked on each heartbeat tick, so the effective period
    /// is a multiple of <see cref="HeartbeatCheckPeriod"/>. Default 1 s.</summary>
    public TimeSpan CheckpointPeriod { get; set; } = DefaultCheckpointPeriod;

    /// <summary>A reported WebSocket round trip above this is logged as a latency spike. Default 200 ms.</summary>
    public double LatencySpikeThresholdMs { get; set; } = DefaultLatencySpikeThresholdMs;
}
