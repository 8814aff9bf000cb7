using System.Net.WebSockets;
using Switchboard.TestInfrastructure;
using Switchboard.TwilioSim;

namespace Switchboard.Silo.Tests.Edge;

/// <summary>
/// One well-behaved simulated call (TwilioSim: Twilio's shapes and 20 ms pacing) streaming on the gateway while a test
/// abuses the same gateway. <see cref="AssertUnharmed"/> is the behaviour under test: every byte echoed back, in order,
/// and the echo round trip within the band a quiet call sees.
/// </summary>
internal sealed class BehavingCall
{
    /// <summary>
    /// Echo round-trip p90 a call must stay under. Locally it is well under a millisecond; the bound is deliberately
    /// generous (a shared 2-core machine runs other builds), because this checks behaviour, not performance: an attack
    /// that stalled the call's turn, its socket or the thread pool shows up as hundreds of milliseconds or lost audio.
    /// Not p99: the echo application holds its last partial chunk until <c>stop</c>, so one round trip per call is the
    /// drain period long by design, and one call has only a few dozen round trips.
    /// </summary>
    public const double NormalBandP90Ms = 400;

    /// <summary>Longest interval without echo while streaming (the echo application answers about every 60 ms). 2 s, not
    /// less: the test command runs the test projects in parallel on 2 cores, and a fuzzing neighbour has starved the
    /// simulator itself for a second (73 late pacing ticks) with the server not at fault.</summary>
    public const double NormalBandLongestGapMs = 2000;

    private readonly SimulationRun _run;

    private BehavingCall(SimulationRun run) => _run = run;

    public Task<SimulationSummary> Completion => _run.Completion;

    public static BehavingCall Start(Uri url, TimeSpan duration, CancellationToken cancellationToken, Action<ClientWebSocketOptions>? configure = null,
        string? authToken = null, Uri? publicUrl = null) =>
        new(Simulator.Start(
            new SimulatorOptions
            {
                Url = url,
                Calls = 1,
                Duration = duration,
                Drain = TimeSpan.FromSeconds(3),
                ConfigureSocket = configure,
                AuthToken = authToken,
                PublicUrl = publicUrl,
            },
            cancellationToken));

    /// <summary>Waits until the call is streaming and some audio has come back, so the abuse starts mid-call.</summary>
    public Task StreamingAsync() =>
        TestWait.UntilAsync(
            () => _run.Snapshot() is { Streaming: 1, BytesEchoed: > 0 },
            "the well-behaved call streams and echoes",
            () => _run.Snapshot().ToString(),
            TimeSpan.FromSeconds(20));

    public static void AssertUnharmed(SimulationSummary summary)
    {
        Assert.True(summary.ExitCode == 0, "the well-behaved call must finish cleanly: " + summary.ToText());
        Assert.Equal(1, summary.Connected);
        Assert.True(summary.BytesSent > 0, "the call sent no audio");
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Mismatched);
        Assert.Equal(summary.BytesSent, summary.BytesEchoed);
        Assert.Equal(0, summary.ServerCloses);
        Assert.True(summary.P90 <= NormalBandP90Ms, $"echo round trip p90 {summary.P90:F1} ms is outside the normal band (<= {NormalBandP90Ms} ms): " + summary.ToText());
        Assert.True(summary.LongestEchoGapMs <= NormalBandLongestGapMs,
            $"the echo stalled for {summary.LongestEchoGapMs:F0} ms while streaming (normal band <= {NormalBandLongestGapMs} ms): " + summary.ToText());
    }
}
