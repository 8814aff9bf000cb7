using Switchboard.TwilioSim;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// Measures server RSS per idle call: start the server, let it settle, read VmRSS, open N idle calls at the ramp rate
/// (driven by one pacing loop), let it settle, read VmRSS again; in cluster mode VmRSS is the gateway's plus the silo's.
/// Switchboard's heartbeat would close a silent stream after <c>ConnectionGrain:HeartbeatTimeout</c> (10 s by default),
/// shorter than the ramp, so the measurement sets it to 10 minutes through its documented configuration key (for every
/// Switchboard process; the connection grain reads it on the silo); the baseline has no heartbeat.
/// </summary>
internal static class IdleRunner
{
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(3);

    /// <summary>Runs the measurement.</summary>
    public static async Task<IdleResult> RunAsync(ServerKind kind, int calls, double rampRate, ServerFactory servers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var environment = new Dictionary<string, string>();
        if (kind != ServerKind.Baseline)
        {
            environment["ConnectionGrain__HeartbeatTimeout"] = "00:10:00";
        }

        ServerProcess server;
        try
        {
            server = await servers.StartAsync(kind, environment, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            return new IdleResult { Server = kind, Calls = calls, Failure = exception.Message };
        }

        using (server)
        {
            await Task.Delay(s_settle, cancellationToken).ConfigureAwait(false);
            var before = server.Stats();
            var idle = new IdleCall[calls];
            var opening = new Task[calls];
            string accountSid = CallIdentity.NewAccountSid();
            int next = 0;
            var loop = new PacingLoop(TimeProvider.System, PacingLoop.FrameInterval);
            await loop.RunAsync(
                (_, elapsed) =>
                {
                    int due = Math.Min(calls, (int)(elapsed.TotalSeconds * rampRate) + 1);
                    for (; next < due; next++)
                    {
                        idle[next] = new IdleCall();
                        opening[next] = idle[next].OpenAsync(server.MediaStreamUrl, CallIdentity.CreateRandom(accountSid), cancellationToken);
                    }

                    return next == calls;
                },
                TimeSpan.FromSeconds((calls / rampRate) + 30),
                cancellationToken).ConfigureAwait(false);

            try
            {
                await Task.WhenAll(opening.Where(t => t is not null)).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Counted below: a call whose open failed is not open.
            }

            await Task.Delay(s_settle, cancellationToken).ConfigureAwait(false);
            var after = server.Stats();
            int open = idle.Count(c => c is not null && c.IsOpen);
            foreach (var call in idle)
            {
                call?.Dispose();
            }

            if (before is null || after is null)
            {
                return new IdleResult { Server = kind, Calls = calls, Open = open, Failed = calls - open, Failure = $"{kind}: the {server.Exited?.Role} exited:{Environment.NewLine}{server.Tail}" };
            }

            return new IdleResult
            {
                Server = kind,
                Calls = calls,
                Open = open,
                Failed = calls - open,
                RssBeforeKb = before.RssKb,
                RssAfterKb = after.RssKb,
                BytesPerCall = open == 0 ? 0 : (after.RssKb - before.RssKb) * 1024.0 / open,
                Processes = after.Processes.Zip(before.Processes, (a, b) => new ProcessMemory(a.Role, b.Stats.RssKb, a.Stats.RssKb)).ToList(),
            };
        }
    }
}
