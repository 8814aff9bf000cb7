using System.Diagnostics;
using Switchboard.TwilioSim;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// Runs one trial: starts the server process, drives <c>calls</c> simulated Twilio calls through TwilioSim's
/// <see cref="Simulator"/> (one pacing loop for all calls, pre-encoded frames, loopback only), calls opened at
/// <c>rampRate</c> per second after a short warm-up on the same process, each streaming for the ramp plus <c>mediaSeconds</c> so that every call is live
/// together for <c>mediaSeconds</c>. Then stops the server. Never throws for a failing server: the failure is in the result.
/// </summary>
internal static class TrialRunner
{
    /// <summary>The pass threshold on the echo round trip's 99th percentile.</summary>
    public const double P99ThresholdMs = 50;

    private const int ErrorsKept = 5;

    /// <summary>
    /// A trial passes only if the load generator kept Twilio's pace: at most 1 % of its 20 ms ticks late (at least 5).
    /// The generator shares the 2 cores with the server; when the machine is saturated it falls behind and sends in
    /// catch-up bursts, which lowers the offered load and hides the server's queueing from the round-trip figures.
    /// </summary>
    public static long MaxLateTicks(double elapsedSeconds) => Math.Max(5, (long)(0.01 * elapsedSeconds / 0.020));

    /// <summary>
    /// Each call streams for the ramp plus the media seconds, rounded up to a multiple of 60 ms: the echo sends a chunk
    /// as soon as it holds at least 400 bytes, i.e. every 3 frames of 160 bytes, so a frame count divisible by 3 leaves
    /// no remainder waiting for <c>stop</c>. A remainder is echoed only after the
    /// simulator's drain period (by the Echo application's design), which would add one ~2 s "round trip" per call
    /// that says nothing about either server.
    /// </summary>
    public static TimeSpan StreamDuration(TimeSpan ramp, double mediaSeconds) =>
        TimeSpan.FromMilliseconds(60 * Math.Ceiling((ramp.TotalSeconds + mediaSeconds) / 0.06));

    /// <summary>Runs the trial.</summary>
    public static async Task<TrialResult> RunAsync(ServerKind kind, int calls, double mediaSeconds, double rampRate, ServerFactory servers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ServerProcess server;
        try
        {
            server = await servers.StartAsync(kind, new Dictionary<string, string>(), TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            return new TrialResult { Server = kind, Calls = calls, MediaSeconds = mediaSeconds, Failure = exception.Message };
        }

        using (server)
        {
            // Warm-up on the same process: JIT and first-connection costs are not what the trial measures.
            await Simulator.RunAsync(
                new SimulatorOptions { Url = server.MediaStreamUrl, Calls = Math.Min(calls, 20), Duration = TimeSpan.FromMilliseconds(1200), Drain = TimeSpan.FromSeconds(1) },
                cancellationToken).ConfigureAwait(false);
            var before = server.Stats();
            double? storeBefore = kind == ServerKind.Cluster ? servers.Postgres?.CpuSeconds() : null;
            var self = Process.GetCurrentProcess();
            var selfBefore = self.TotalProcessorTime;
            var ramp = TimeSpan.FromSeconds(calls / rampRate);
            var options = new SimulatorOptions
            {
                Url = server.MediaStreamUrl,
                Calls = calls,
                Ramp = ramp,
                Duration = StreamDuration(ramp, mediaSeconds),
                Drain = TimeSpan.FromSeconds(2),
            };
            var summary = await Simulator.RunAsync(options, cancellationToken).ConfigureAwait(false);
            var after = server.Stats();
            double? storeAfter = storeBefore is null ? null : servers.Postgres?.CpuSeconds();
            self.Refresh();
            var selfCpu = (self.TotalProcessorTime - selfBefore).TotalSeconds;
            var errors = summary.Errors.ToList();
            if (after is null)
            {
                errors.Insert(0, $"{kind} exited during the trial ({server.Exited?.Role} exit code {server.Exited?.ExitCode}):{Environment.NewLine}{server.Tail}");
            }

            bool keptPace = summary.LateTicks <= MaxLateTicks(summary.ElapsedSeconds);
            bool passed = summary.ExitCode == 0 && after is not null && summary.P99 < P99ThresholdMs && keptPace;
            return new TrialResult
            {
                Server = kind,
                Calls = calls,
                MediaSeconds = mediaSeconds,
                Connected = summary.Connected,
                Failed = summary.Failed,
                MessagesSent = summary.MediaSent,
                MessagesEchoed = summary.RoundTrips,
                BytesSent = summary.BytesSent,
                BytesEchoed = summary.BytesEchoed,
                BytesLost = summary.Lost,
                BytesMismatched = summary.Mismatched,
                P50Ms = summary.P50,
                P90Ms = summary.P90,
                P99Ms = summary.P99,
                MaxMs = summary.Max,
                LateTicks = summary.LateTicks,
                GeneratorKeptPace = keptPace,
                ServerCpuSeconds = before is not null && after is not null ? after.CpuSeconds - before.CpuSeconds : 0,
                ServerPeakRssKb = after?.PeakRssKb ?? before?.PeakRssKb ?? 0,
                Processes = Usage(before, after),
                StoreCpuSeconds = storeAfter - storeBefore is { } store ? Math.Round(store, 2) : null,
                LoadGenCpuSeconds = selfCpu,
                ElapsedSeconds = summary.ElapsedSeconds,
                Errors = errors.Take(ErrorsKept).ToList(),
                ErrorCount = errors.Count,
                Passed = passed,
            };
        }
    }

    /// <summary>Each process's CPU between the two readings and its peak RSS (empty unless both readings exist).</summary>
    internal static IReadOnlyList<ProcessUsage> Usage(ServerStats? before, ServerStats? after)
    {
        if (before is null || after is null)
        {
            return [];
        }

        return after.Processes
            .Zip(before.Processes, (a, b) => new ProcessUsage(a.Role, Math.Round(a.Stats.CpuSeconds - b.Stats.CpuSeconds, 2), a.Stats.PeakRssKb))
            .ToList();
    }
}
