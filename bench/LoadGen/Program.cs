using System.Text.Json;

namespace Switchboard.Bench.LoadGen;

/// <summary>Entry point: exit 0 when the command completed, 1 when it failed, 2 for a bad command line.</summary>
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

        Func<Task<int>>? run = line.Command switch
        {
            "compare" => Compare(line, paths, cancellation.Token),
            "smoke" => () => SmokeRunner.RunAsync(paths, Console.Out, cancellation.Token),
            "trial" => Trial(line, paths, cancellation.Token),
            "idle" => Idle(line, paths, cancellation.Token),
            _ => null,
        };

        if (line.Error is not null || run is null)
        {
            await Console.Error.WriteLineAsync("error: " + (line.Error ?? $"unknown command '{line.Command}'")).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(CommandLineArguments.Usage).ConfigureAwait(false);
            return 2;
        }

        if (paths.Check() is { } missing)
        {
            await Console.Error.WriteLineAsync("error: " + missing).ConfigureAwait(false);
            return 1;
        }

        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return 1;
        }
    }

    private static Func<Task<int>> Compare(CommandLineArguments line, BenchPaths paths, CancellationToken cancellationToken)
    {
        var d = line.Has("--quick") ? CompareOptions.QuickDefaults : new CompareOptions();
        var options = d with
        {
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
        return () => CompareRunner.RunAsync(options, paths, Console.Out, cancellationToken);
    }

    private static Func<Task<int>> Trial(CommandLineArguments line, BenchPaths paths, CancellationToken cancellationToken)
    {
        var kind = line.Server();
        int calls = line.Int("--calls", 0, 1, 100_000);
        double media = line.Number("--media-seconds", 10, 3600);
        double ramp = line.Number("--ramp-rate", 200, 10_000);
        line.Require("--calls");
        return async () =>
        {
            var result = await TrialRunner.RunAsync(kind, calls, media, ramp, paths, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, BenchJsonContext.Default.TrialResult)).ConfigureAwait(false);
            return result.Failure is null ? 0 : 1;
        };
    }

    private static Func<Task<int>> Idle(CommandLineArguments line, BenchPaths paths, CancellationToken cancellationToken)
    {
        var kind = line.Server();
        int calls = line.Int("--calls", 2000, 1, 100_000);
        double ramp = line.Number("--ramp-rate", 200, 10_000);
        return async () =>
        {
            var result = await IdleRunner.RunAsync(kind, calls, ramp, paths, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, BenchJsonContext.Default.IdleResult)).ConfigureAwait(false);
            return result.Failure is null ? 0 : 1;
        };
    }
}
