using Switchboard.TestInfrastructure;
using Switchboard.TwilioSim;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>
/// A well-behaved call streaming on the same gateway while a test feeds it bad input: TwilioSim's calls, in-process,
/// signed like Twilio, paced like Twilio (a 160-byte frame every 20 ms), each checking every echoed byte against what it
/// sent. Use: <see cref="StartAsync"/> (returns once every call streams and hears its echo), do the bad thing and wait for
/// its outcome, <see cref="AssertStillStreaming"/> (so the bad input provably overlapped the call), then
/// <see cref="AssertUnharmedAsync"/>: nothing lost, nothing reordered or corrupted, no server close, and the echo round
/// trip's p99 within a generous bound (behaviour, not a benchmark: the machine is shared).
/// </summary>
/// <remarks>
/// The round-trip bound is the p99 bound plus the worst stall a <see cref="SchedulingStallProbe"/> saw in the same
/// window: when the shared machine stops this whole process (other test processes, a collection), the call's round trip
/// stretches through no fault of the gateway; a gateway that blocks or starves its own thread pool is not excused.
/// Round trips are measured from the moment <see cref="StartAsync"/> returns (the connect is not the bad input's doing),
/// and the first <see cref="StartAsync"/> of the process first runs one short call to its end: a cold process compiles
/// the runtime's, the grains' and the simulator's code paths (first timer tick, checkpoint, stop) for a couple of seconds,
/// which would read as the bad input's stall in whichever test happens to run first. The duration is rounded up to whole Echo chunks (3 frames, 60 ms): Echo sends a partial
/// last chunk only on <c>stop</c>, after the simulator's drain wait, which would read as a 2 s round trip.
/// </remarks>
internal sealed class CallAlongside : IAsyncDisposable
{
    /// <summary>Echo round-trip p99 a healthy call stays under on a loaded 2-core machine (Echo chunks 50 ms of audio,
    /// so a normal round trip is 20–60 ms).</summary>
    public const double DefaultP99BoundMs = 200;

    // Echo sends at least 400 bytes per chunk: three 160-byte frames.
    private static readonly TimeSpan EchoChunk = TimeSpan.FromMilliseconds(60);

    private readonly SimulationRun _run;
    private readonly CancellationTokenSource _cancellation;
    private readonly int _calls;
    private readonly SchedulingStallProbe _probe = new();
    private static int s_warmedUp;

    private CallAlongside(SimulationRun run, CancellationTokenSource cancellation, int calls)
    {
        _run = run;
        _cancellation = cancellation;
        _calls = calls;
    }

    /// <summary>The calls' streamSids (their connection grains' keys).</summary>
    public IReadOnlyList<string> StreamSids => [.. _run.Snapshot().CallResults.Select(r => r.StreamSid)];

    /// <summary>The calls' streamSids with their callSids.</summary>
    public IReadOnlyList<(string StreamSid, string CallSid)> Streams => [.. _run.Snapshot().CallResults.Select(r => (r.StreamSid, r.CallSid))];

    /// <summary>Starts <paramref name="calls"/> calls (1–3: the machine is small) that stream for <paramref name="duration"/>
    /// to <paramref name="webSocketUri"/>, and returns once each of them streams and has heard echo.</summary>
    public static async Task<CallAlongside> StartAsync(Uri webSocketUri, TimeSpan duration, int calls = 1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(calls, 3);
        if (Interlocked.Exchange(ref s_warmedUp, 1) == 0)
        {
            // The test host keeps one pool thread blocked in its message loop (a 1 s socket poll): 0.6-0.9 s of stall
            // was measured on the call alongside in about one run in five before the floor was raised.
            SimulatorThreadPool.EnsureMinimum(8);

            using var warmUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Simulator.RunAsync(Options(webSocketUri, TimeSpan.FromSeconds(1.5), calls: 1), warmUp.Token);
        }

        duration = TimeSpan.FromMilliseconds(Math.Ceiling(duration.TotalMilliseconds / EchoChunk.TotalMilliseconds) * EchoChunk.TotalMilliseconds);
        var cancellation = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        var run = Simulator.Start(Options(webSocketUri, duration, calls), cancellation.Token);
        var alongside = new CallAlongside(run, cancellation, calls);
        await TestWait.UntilAsync(
            () => run.Completion.IsCompleted || run.Snapshot().CallResults.All(r => r.State == CallState.Streaming && r.BytesEchoed > 0),
            $"{calls} call(s) alongside stream and hear their echo",
            () => string.Join("; ", run.Snapshot().CallResults));
        if (run.Completion.IsCompleted)
        {
            var summary = await run.Completion;
            throw new InvalidOperationException($"The call alongside ended before the test began:\n{summary.ToText()}");
        }

        run.ResetLatency();
        alongside._probe.Reset();
        return alongside;
    }

    /// <summary>Fails unless every call is still streaming: call it once the bad input's outcome was observed, so the test
    /// proves the two overlapped (<paramref name="phase"/> names the moment).</summary>
    public void AssertStillStreaming(string phase)
    {
        var snapshot = _run.Snapshot();
        Assert.True(
            snapshot.Streaming == _calls,
            $"{phase}: expected the {_calls} call(s) alongside still streaming, but: {string.Join("; ", snapshot.CallResults)}");
    }

    /// <summary>Waits for the calls to finish and asserts they lost nothing, got every byte back in order, were never
    /// closed by the server, and kept the echo round trip's p99 under <paramref name="p99BoundMs"/> (plus any machine stall,
    /// see the remarks). The summary goes to
    /// <paramref name="output"/> when given.</summary>
    public async Task<SimulationSummary> AssertUnharmedAsync(ITestOutputHelper? output = null, double p99BoundMs = DefaultP99BoundMs)
    {
        var summary = await TestWait.CompletesAsync(_run.Completion, "the calls alongside", TimeSpan.FromSeconds(60));
        var stall = _probe.MaxStall.TotalMilliseconds;
        var text = $"{summary.ToText()}\nmachine stall (scheduling probe) up to {stall:F0} ms";
        output?.WriteLine($"calls alongside:\n{text}");
        Assert.True(summary.ExitCode == 0, $"the calls alongside failed:\n{text}");
        Assert.Equal(_calls, summary.Connected);
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Mismatched);
        Assert.Equal(summary.BytesSent, summary.BytesEchoed);
        Assert.True(summary.BytesSent > 0, "the calls alongside sent no audio");
        Assert.Equal(0, summary.ServerCloses);
        Assert.True(
            summary.P99 < p99BoundMs + stall,
            $"echo round trip p99 {summary.P99:F1} ms is over {p99BoundMs} ms + {stall:F0} ms of machine stall:\n{text}");
        return summary;
    }

    private static SimulatorOptions Options(Uri webSocketUri, TimeSpan duration, int calls) => new()
    {
        Url = webSocketUri,
        Calls = calls,
        Duration = duration,
        Ramp = TimeSpan.Zero,
        Drain = TimeSpan.FromSeconds(2),
        AuthToken = GatewayTestHost.AuthToken,
        PublicUrl = new Uri(GatewayTestHost.PublicUrl),
    };

    public async ValueTask DisposeAsync()
    {
        await _cancellation.CancelAsync();
        try
        {
            await _run.Completion;
        }
        catch (OperationCanceledException)
        {
            // Cancelled by a failing test: nothing to report.
        }

        _cancellation.Dispose();
        _probe.Dispose();
    }
}
