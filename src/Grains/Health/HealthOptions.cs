namespace Switchboard.Grains.Health;

/// <summary>Settings of the health grain, bound from the <c>Health</c> section; validated by <see cref="HealthOptionsValidator"/>.</summary>
public sealed class HealthOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Health";

    /// <summary>Default <see cref="LatencyThresholdMs"/> (the design's latency threshold).</summary>
    public const double DefaultLatencyThresholdMs = 200;

    /// <summary>Default <see cref="ReporterSilenceLimit"/> (reports come every second).</summary>
    public static readonly TimeSpan DefaultReporterSilenceLimit = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="ReporterExpiry"/>.</summary>
    public static readonly TimeSpan DefaultReporterExpiry = TimeSpan.FromSeconds(60);

    /// <summary>Default <see cref="LatencyWindow"/>.</summary>
    public static readonly TimeSpan DefaultLatencyWindow = TimeSpan.FromSeconds(60);

    /// <summary>Default <see cref="MaxLatencySamples"/>.</summary>
    public const int DefaultMaxLatencySamples = 10_000;

    /// <summary>Default <see cref="HistoryCapacity"/>.</summary>
    public const int DefaultHistoryCapacity = 100;

    /// <summary>Default <see cref="HistoryInterval"/>.</summary>
    public static readonly TimeSpan DefaultHistoryInterval = TimeSpan.FromSeconds(1);

    /// <summary>Default <see cref="ReportPeriod"/>.</summary>
    public static readonly TimeSpan DefaultReportPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How often each silo reports to the health grain. Default 1 s; keep it well under <see cref="ReporterSilenceLimit"/>.</summary>
    public TimeSpan ReportPeriod { get; set; } = DefaultReportPeriod;

    /// <summary>p99 latency above this makes the cluster degraded. Default 200 ms.</summary>
    public double LatencyThresholdMs { get; set; } = DefaultLatencyThresholdMs;

    /// <summary>A reporter with no report for this long is silent (degraded; unhealthy if it was the last of its role). Default 5 s.</summary>
    public TimeSpan ReporterSilenceLimit { get; set; } = DefaultReporterSilenceLimit;

    /// <summary>A silent reporter is forgotten after this long without a report. Default 60 s.</summary>
    public TimeSpan ReporterExpiry { get; set; } = DefaultReporterExpiry;

    /// <summary>Latency samples older than this leave the window. Default 60 s.</summary>
    public TimeSpan LatencyWindow { get; set; } = DefaultLatencyWindow;

    /// <summary>Most samples kept in the window (oldest dropped first). Default 10 000.</summary>
    public int MaxLatencySamples { get; set; } = DefaultMaxLatencySamples;

    /// <summary>History points kept (oldest dropped first). Default 100.</summary>
    public int HistoryCapacity { get; set; } = DefaultHistoryCapacity;

    /// <summary>At most one history point per this interval. Default 1 s (the report period).</summary>
    public TimeSpan HistoryInterval { get; set; } = DefaultHistoryInterval;
}
