namespace Switchboard.Bench.LoadGen;

/// <summary>
/// One load trial: N concurrent simulated calls against a fresh server process. Byte counters come from the
/// simulator's echo matcher (a lost byte was sent and never echoed; a mismatched byte was echoed out of order or
/// corrupted). Server CPU is measured from just after the warm-up to the end of the trial; peak RSS is VmHWM (whole
/// lifetime, start-up included). Both are sums over the server's processes (gateway + silo in cluster mode), with each
/// process in <see cref="Processes"/>.
/// </summary>
internal sealed record TrialResult
{
    /// <summary>Server under test.</summary>
    public required ServerKind Server { get; init; }

    /// <summary>Concurrent calls requested.</summary>
    public required int Calls { get; init; }

    /// <summary>Media seconds at full concurrency (each call streams ramp + this).</summary>
    public double MediaSeconds { get; init; }

    /// <summary>Calls opened (socket + start).</summary>
    public int Connected { get; init; }

    /// <summary>Calls that failed to open or ended abnormally.</summary>
    public int Failed { get; init; }

    /// <summary>Inbound media messages sent.</summary>
    public long MessagesSent { get; init; }

    /// <summary>Outbound media messages received (each closes one round trip).</summary>
    public long MessagesEchoed { get; init; }

    /// <summary>Inbound audio bytes sent.</summary>
    public long BytesSent { get; init; }

    /// <summary>Audio bytes echoed.</summary>
    public long BytesEchoed { get; init; }

    /// <summary>Bytes sent and never echoed.</summary>
    public long BytesLost { get; init; }

    /// <summary>Bytes echoed out of order, corrupted or never sent.</summary>
    public long BytesMismatched { get; init; }

    /// <summary>Echo round-trip percentiles and maximum, ms.</summary>
    public double P50Ms { get; init; }

    /// <summary>90th percentile, ms.</summary>
    public double P90Ms { get; init; }

    /// <summary>99th percentile, ms.</summary>
    public double P99Ms { get; init; }

    /// <summary>Maximum, ms.</summary>
    public double MaxMs { get; init; }

    /// <summary>Pacing ticks the load generator ran late (it fell behind: the generator, not the server, was slow).</summary>
    public long LateTicks { get; init; }

    /// <summary>Whether the generator was late on at most 1 % of its ticks (a condition of passing).</summary>
    public bool GeneratorKeptPace { get; init; }

    /// <summary>Server CPU seconds (user + system) during the trial, all of its processes.</summary>
    public double ServerCpuSeconds { get; init; }

    /// <summary>Server CPU per inbound media message, µs.</summary>
    public double ServerCpuMicrosPerMessage => MessagesSent == 0 ? 0 : ServerCpuSeconds * 1e6 / MessagesSent;

    /// <summary>Server peak RSS (VmHWM), kB: the sum of its processes' peaks.</summary>
    public long ServerPeakRssKb { get; init; }

    /// <summary>Each process of the server (one, or gateway and silo): CPU seconds during the trial and peak RSS.</summary>
    public IReadOnlyList<ProcessUsage> Processes { get; init; } = [];

    /// <summary>
    /// Cluster mode: CPU seconds PostgreSQL used during the trial (shared by the run, not part of the server's
    /// figures, but on the same cores); null for the other servers or when it could not be read.
    /// </summary>
    public double? StoreCpuSeconds { get; init; }

    /// <summary>The load generator's own CPU seconds during the trial (it shares the cores).</summary>
    public double LoadGenCpuSeconds { get; init; }

    /// <summary>Wall time of the trial, s.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>Errors recorded (first few).</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>All errors recorded.</summary>
    public int ErrorCount { get; init; }

    /// <summary>Why the trial could not run at all (server did not start), else null.</summary>
    public string? Failure { get; init; }

    /// <summary>Every call completed, nothing lost or mismatched, no error, p99 below the threshold, generator kept pace.</summary>
    public bool Passed { get; init; }
}
