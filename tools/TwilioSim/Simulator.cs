namespace Switchboard.TwilioSim;

/// <summary>
/// Runs a simulation in-process: creates the calls (starts spread evenly over the ramp), drives them all
/// from one <see cref="PacingLoop"/> until every call finished or the hard timeout fired, aborts whatever
/// is left, and summarises. Never throws for network failures: they are counted in the summary.
/// </summary>
internal static class Simulator
{
    /// <summary>Runs the simulation described by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="SimulatorOptions.Validate"/>).</exception>
    internal static Task<SimulationSummary> RunAsync(SimulatorOptions options, CancellationToken cancellationToken)
        => Start(options, cancellationToken).Completion;

    /// <summary>
    /// Starts the simulation described by <paramref name="options"/> and returns at once with a handle for live progress
    /// (<see cref="SimulationRun.Snapshot"/>) and the summary (<see cref="SimulationRun.Completion"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="SimulatorOptions.Validate"/>).</exception>
    internal static SimulationRun Start(SimulatorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        ReadOnlyMemory<byte> audio = options.Audio.IsEmpty ? SpeechLikeAudio.Generate() : options.Audio;
        var histogram = new LatencyHistogram();
        string accountSid = CallIdentity.NewAccountSid();
        var calls = new SimulatedCall[options.Calls];
        for (int i = 0; i < calls.Length; i++)
        {
            var offset = calls.Length == 1 ? TimeSpan.Zero : options.Ramp * i / calls.Length;
            calls[i] = new SimulatedCall(i, CallIdentity.CreateRandom(accountSid), offset, options, audio, histogram);
        }

        return new SimulationRun(calls, histogram, options.TimeProvider, RunCoreAsync(calls, histogram, options, cancellationToken));
    }

    private static async Task<SimulationSummary> RunCoreAsync(SimulatedCall[] calls, LatencyHistogram histogram, SimulatorOptions options, CancellationToken cancellationToken)
    {
        var timeProvider = options.TimeProvider;
        long started = timeProvider.GetTimestamp();
        using var runCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = runCancellation.Token;
        var loop = new PacingLoop(timeProvider, PacingLoop.FrameInterval);
        bool finished = await loop.RunAsync(
            (tick, elapsed) =>
            {
                bool allFinished = true;
                foreach (var call in calls)
                {
                    call.OnTick(tick, elapsed, token);
                    allFinished &= call.IsFinished;
                }

                return allFinished;
            },
            options.EffectiveTimeout,
            cancellationToken).ConfigureAwait(false);

        if (!finished)
        {
            string reason = cancellationToken.IsCancellationRequested ? "cancelled" : $"hard timeout ({options.EffectiveTimeout.TotalSeconds} s)";
            await runCancellation.CancelAsync().ConfigureAwait(false);
            foreach (var call in calls)
            {
                call.Abort(reason);
            }

            await Task.WhenAll(calls.Select(c => c.WhenQuiescentAsync(TimeSpan.FromSeconds(2)))).ConfigureAwait(false);
        }

        var summary = Summarise(calls, histogram, loop.LateTicks, timeProvider.GetElapsedTime(started));
        foreach (var call in calls)
        {
            call.Dispose();
        }

        return summary;
    }

    private static SimulationSummary Summarise(SimulatedCall[] calls, LatencyHistogram histogram, long lateTicks, TimeSpan elapsed)
    {
        long sent = 0, echoed = 0, lost = 0, mismatched = 0, media = 0, marks = 0;
        int connected = 0, failed = 0, serverCloses = 0;
        var longestGap = TimeSpan.Zero;
        var errors = new List<string>();
        var results = new CallResult[calls.Length];
        foreach (var call in calls)
        {
            var result = call.ToResult();
            results[call.Index] = result;
            serverCloses += result.ServerClosed ? 1 : 0;
            longestGap = result.LongestEchoGap > longestGap ? result.LongestEchoGap : longestGap;
            sent += result.BytesSent;
            echoed += result.BytesEchoed;
            lost += result.Lost;
            mismatched += result.Mismatched;
            media += result.MediaSent;
            marks += call.MarksEchoed;
            connected += result.WasConnected ? 1 : 0;
            failed += result.State == CallState.Failed ? 1 : 0;
            errors.AddRange(result.Errors);
        }

        return new SimulationSummary
        {
            Calls = calls.Length,
            Connected = connected,
            Failed = failed,
            MediaSent = media,
            BytesSent = sent,
            BytesEchoed = echoed,
            Lost = lost,
            Mismatched = mismatched,
            MarksEchoed = marks,
            RoundTrips = histogram.Count,
            P50 = histogram.Percentile(0.50).TotalMilliseconds,
            P90 = histogram.Percentile(0.90).TotalMilliseconds,
            P99 = histogram.Percentile(0.99).TotalMilliseconds,
            Max = histogram.Max.TotalMilliseconds,
            LateTicks = lateTicks,
            ElapsedSeconds = elapsed.TotalSeconds,
            ServerCloses = serverCloses,
            LongestEchoGapMs = longestGap.TotalMilliseconds,
            Errors = errors,
            CallResults = results,
        };
    }
}
