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

    /// <summary>Waits until the directory has a row for every call of <paramref name="run"/>; returns the rows of those calls.</summary>
    public static async Task<IReadOnlyList<DirectoryRow>> WaitPlacedAsync(ProcessCluster cluster, SimulationRun run, string phase)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(run);
        var keys = run.Snapshot().CallResults.Select(c => c.StreamSid).ToHashSet(StringComparer.Ordinal);
        var rows = await Poll.UntilAsync(
            phase,
            "switchboard_grain_directory",
            $"a connection row for each of the {keys.Count} calls",
            ct => cluster.ReadDirectoryAsync(ct),
            r => keys.IsSubsetOf(r.Select(x => x.GrainKey)),
            StreamingTimeout,
            r => $"{r.Count(x => keys.Contains(x.GrainKey))} of {keys.Count} calls have a row").ConfigureAwait(false);
        return [.. rows.Where(r => keys.Contains(r.GrainKey))];
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
