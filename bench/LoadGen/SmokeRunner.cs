namespace Switchboard.Bench.LoadGen;

/// <summary>
/// <c>LoadGen smoke</c>: each server in turn (by default baseline, embedded, cluster), 3 calls streaming 3 s each.
/// Asserts nothing about the figures; fails (exit 1) only when the run itself does not complete: a server does not
/// start or exits, no call connects, or nothing is echoed.
/// </summary>
internal static class SmokeRunner
{
    /// <summary>Runs the smoke; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<ServerKind> kinds, ServerFactory servers, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(output);
        int exit = 0;
        foreach (var kind in kinds)
        {
            var trial = await TrialRunner.RunAsync(kind, 3, 3, 200, servers, cancellationToken).ConfigureAwait(false);
            string? problem = trial.Failure
                ?? (trial.Connected == 0 ? "no call connected" : null)
                ?? (trial.BytesEchoed == 0 ? "nothing was echoed" : null)
                ?? (trial.Errors.FirstOrDefault(e => e.Contains("exited during the trial", StringComparison.Ordinal)));
            output.WriteLine($"bench smoke: {kind.CommandName()}: {(problem is null ? "ok" : "FAILED: " + problem)} ({trial.Connected}/3 connected, {trial.BytesEchoed}/{trial.BytesSent} bytes echoed, p99 {trial.P99Ms:F1} ms)");
            if (problem is not null)
            {
                exit = 1;
            }
        }

        return exit;
    }
}
