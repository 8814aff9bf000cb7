namespace Switchboard.TwilioSim;

/// <summary>
/// A run in progress (from <see cref="Simulator.Start"/>): the caller can act while the calls stream (kill a server,
/// stop a database) and read <see cref="Snapshot"/> to wait until every call streams, then await
/// <see cref="Completion"/> for the summary. Snapshots read each call under its own lock, so they are consistent per
/// call, not across calls.
/// </summary>
internal sealed class SimulationRun
{
    private readonly SimulatedCall[] _calls;
    private readonly LatencyHistogram _histogram;

    internal SimulationRun(SimulatedCall[] calls, LatencyHistogram histogram, TimeProvider timeProvider, Task<SimulationSummary> completion)
    {
        _calls = calls;
        _histogram = histogram;
        TimeProvider = timeProvider;
        Completion = completion;
    }

    /// <summary>The run's clock: timestamps given to <see cref="CallResult.EchoResumedAfter"/> come from it.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Completes with the summary when every call finished, the hard timeout fired or the run was cancelled.</summary>
    public Task<SimulationSummary> Completion { get; }

    /// <summary>Forgets the echo round trips measured so far, so the summary's percentiles cover only what follows (e.g.
    /// a test's fault, not the process's warm-up). Byte and loss accounting is unaffected.</summary>
    public void ResetLatency() => _histogram.Reset();

    /// <summary>The calls' phases and counters now.</summary>
    public SimulationSnapshot Snapshot()
    {
        var results = new CallResult[_calls.Length];
        int starting = 0, streaming = 0, ending = 0, completed = 0, failed = 0, closes = 0;
        long sent = 0, echoed = 0;
        for (int i = 0; i < _calls.Length; i++)
        {
            var result = _calls[i].ToResult();
            results[i] = result;
            switch (result.State)
            {
                case CallState.Pending or CallState.Connecting:
                    starting++;
                    break;
                case CallState.Streaming:
                    streaming++;
                    break;
                case CallState.Failed:
                    failed++;
                    break;
                default:
                    ending++;
                    completed += result.State == CallState.Completed ? 1 : 0;
                    break;
            }

            closes += result.ServerClosed ? 1 : 0;
            sent += result.BytesSent;
            echoed += result.BytesEchoed;
        }

        return new SimulationSnapshot
        {
            Calls = _calls.Length,
            Starting = starting,
            Streaming = streaming,
            Ending = ending,
            Completed = completed,
            Failed = failed,
            ServerCloses = closes,
            BytesSent = sent,
            BytesEchoed = echoed,
            CallResults = results,
        };
    }
}
