using System.Text;
using Switchboard.TwilioSim;

namespace Switchboard.Cluster.Tests.Harness;

/// <summary>Simulated Twilio calls against a gateway process (TwilioSim in-process) and the waits that go with them.</summary>
internal static class CallLoad
{
    /// <summary>Bound on every call of a run connecting and getting its first echo.</summary>
    public static readonly TimeSpan StreamingTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Starts <paramref name="calls"/> calls on <paramref name="gateway"/>, spread over a 1 s ramp, each
    /// streaming for <paramref name="duration"/>.</summary>
    public static SimulationRun Start(ClusterProcess gateway, int calls, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return Simulator.Start(
            new SimulatorOptions
            {
                Url = gateway.MediaStreamUrl,
                Calls = calls,
                Duration = duration,
                Ramp = TimeSpan.FromSeconds(1),
                Drain = TimeSpan.FromSeconds(3),
            },
            CancellationToken.None);
    }

    /// <summary>Waits until every call of <paramref name="run"/> streams and has had echo back.</summary>
    public static Task<SimulationSnapshot> WaitAllEchoingAsync(SimulationRun run, string phase)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Poll.UntilAsync(
            phase,
            $"{run.Snapshot().Calls} simulated calls",
            "every call streaming with echo received",
            _ => Task.FromResult(run.Snapshot()),
            s => s.Streaming == s.Calls && s.CallResults.All(c => c.BytesEchoed > 0),
            StreamingTimeout,
            s => s + " | " + string.Join("; ", s.CallResults.Where(c => c.State != CallState.Streaming || c.BytesEchoed == 0).Take(5)));
    }

    /// <summary>Waits until some silo of <paramref name="cluster"/> has logged the connection grain of every call of
    /// <paramref name="run"/> (see <see cref="Placement"/>); returns the silo hosting each call.</summary>
    public static async Task<IReadOnlyDictionary<string, ClusterProcess>> WaitPlacedAsync(ProcessCluster cluster, SimulationRun run, string phase)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(run);
        var keys = run.Snapshot().CallResults.Select(c => c.StreamSid).ToList();
        var hosts = await Poll.UntilAsync(
            phase,
            "the silos' connection grain logs",
            $"a connection grain event for each of the {keys.Count} calls",
            _ => Task.FromResult(Placement.HostsOf(cluster.Silos, keys)),
            h => h.Values.All(s => s is not null),
            StreamingTimeout,
            h => $"{h.Count(x => x.Value is not null)} of {keys.Count} calls placed ({Placement.Describe(h)})").ConfigureAwait(false);
        return hosts.ToDictionary(h => h.Key, h => h.Value!, StringComparer.Ordinal);
    }

    /// <summary>A per-call table of the figures the cluster tests assert on.</summary>
    public static string Describe(IEnumerable<CallResult> calls, long? instant = null)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var text = new StringBuilder();
        foreach (var call in calls)
        {
            text.Append(call);
            if (instant is { } at)
            {
                var resumed = call.EchoResumedAfter(at);
                text.Append(resumed is { } r ? $", echo resumed {r.TotalMilliseconds:F0} ms after" : ", echo not resumed");
                if (call.LongestEchoGapStartedAt != 0)
                {
                    // Negative: the longest gap began before the instant.
                    var gapFrom = call.LongestEchoGapStartedAt >= at
                        ? TimeProvider.System.GetElapsedTime(at, call.LongestEchoGapStartedAt)
                        : -TimeProvider.System.GetElapsedTime(call.LongestEchoGapStartedAt, at);
                    text.Append($", longest gap began {gapFrom.TotalMilliseconds:F0} ms after the instant");
                }
            }

            if (call.Errors.Count > 0)
            {
                text.Append(" errors: ").Append(string.Join(" | ", call.Errors));
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
