using System.Text.Json;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// Entry point: exit 0 when the command completed, 1 when it failed, 2 for a bad command line. A command that runs
/// cluster mode gets one PostgreSQL for its whole duration, destroyed when it ends (Ctrl-C and failures included).
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var line = CommandLineArguments.Parse(args);
        if (line.Command is "help" or "--help" or "-h")
        {
            Console.Out.WriteLine(CommandLineArguments.Usage);
            return 0;
        }

        var paths = BenchPaths.Locate(line.String("--root"));
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        (IReadOnlyList<ServerKind> Kinds, Func<ServerFactory, CancellationToken, Task<int>> Run)? command = line.Command switch
        {
            "compare" => Compare(line),
            "smoke" => Smoke(line),
            "trial" => Trial(line),
            "idle" => Idle(line),
            _ => null,
        };

        if (line.Error is not null || command is null)
        {
            await Console.Error.WriteLineAsync("error: " + (line.Error ?? $"unknown command '{line.Command}'")).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(CommandLineArguments.Usage).ConfigureAwait(false);
            return 2;
        }

        var (kinds, run) = command.Value;
        if (paths.Check(kinds) is { } missing)
        {
            await Console.Error.WriteLineAsync("error: " + missing).ConfigureAwait(false);
            return 1;
        }

        BenchPostgres? postgres = null;
        try
        {
            if (kinds.Contains(ServerKind.Cluster))
            {
                postgres = await BenchPostgres.StartAsync(paths, Console.Error, cancellation.Token).ConfigureAwait(false);
            }

            int exit = await run(new ServerFactory(paths, postgres), cancellation.Token).ConfigureAwait(false);

            // The simulator turns cancellation into errors of its calls; a cancelled run must not look complete.
            cancellation.Token.ThrowIfCancellationRequested();
            return exit;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return 1;
        }
        catch (InvalidOperationException exception) when (postgres is null && kinds.Contains(ServerKind.Cluster))
        {
            await Console.Error.WriteLineAsync("error: PostgreSQL for cluster mode: " + exception.Message).ConfigureAwait(false);
            return 1;
        }
        finally
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static (IReadOnlyList<ServerKind>, Func<ServerFactory, CancellationToken, Task<int>>) Compare(CommandLineArguments line)
    {
        var d = line.Has("--quick") ? CompareOptions.QuickDefaults : new CompareOptions();
        var options = d with
        {
            Servers = line.Servers(),
            MediaSeconds = line.Number("--media-seconds", d.MediaSeconds, 3600),
            RampRate = line.Number("--ramp-rate", d.RampRate, 10_000),
            Sweep = line.IntList("--sweep", d.Sweep),
            SearchStart = line.Int("--search-start", d.SearchStart, 1, 100_000),
            MaxCalls = line.Int("--max-calls", d.MaxCalls, 1, 100_000),
            Resolution = line.Number("--resolution", d.Resolution, 1),
            MaxTrialsPerServer = line.Int("--max-trials", d.MaxTrialsPerServer, 1, 100),
            IdleCalls = line.Int("--idle-calls", d.IdleCalls, 1, 100_000),
            BudgetMinutes = line.Number("--budget-minutes", d.BudgetMinutes, 24 * 60),
            Output = line.String("--out"),
        };
        return (options.Servers, (servers, ct) => CompareRunner.RunAsync(options, servers, Console.Out, ct));
    }

    private static (IReadOnlyList<ServerKind>, Func<ServerFactory, CancellationToken, Task<int>>) Smoke(CommandLineArguments line)
    {
        var kinds = line.Servers();
        return (kinds, (servers, ct) => SmokeRunner.RunAsync(kinds, servers, Console.Out, ct));
    }

    private static (IReadOnlyList<ServerKind>, Func<ServerFactory, CancellationToken, Task<int>>) Trial(CommandLineArguments line)
    {
        var kind = line.Server();
        int calls = line.Int("--calls", 0, 1, 100_000);
        double media = line.Number("--media-seconds", 10, 3600);
        double ramp = line.Number("--ramp-rate", 200, 10_000);
        line.Require("--calls");
        return ([kind], async (servers, ct) =>
        {
            var result = await TrialRunner.RunAsync(kind, calls, media, ramp, servers, ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, BenchJsonContext.Default.TrialResult)).ConfigureAwait(false);
            return result.Failure is null ? 0 : 1;
        });
    }

    private static (IReadOnlyList<ServerKind>, Func<ServerFactory, CancellationToken, Task<int>>) Idle(CommandLineArguments line)
    {
        var kind = line.Server();
        int calls = line.Int("--calls", 2000, 1, 100_000);
        double ramp = line.Number("--ramp-rate", 200, 10_000);
        return ([kind], async (servers, ct) =>
        {
            var result = await IdleRunner.RunAsync(kind, calls, ramp, servers, ct).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, BenchJsonContext.Default.IdleResult)).ConfigureAwait(false);
            return result.Failure is null ? 0 : 1;
        });
    }
}
