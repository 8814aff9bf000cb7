using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// <c>LoadGen compare</c>: (a) a sweep of N, (b) the capacity search, (c) RSS per idle call, always interleaving the
/// servers (baseline, Switchboard, baseline, Switchboard…) so drift of the machine hits both alike, each trial on a
/// fresh server process. Prints Markdown tables with the Switchboard / baseline ratios and writes the full JSON.
/// </summary>
internal static class CompareRunner
{
    private static readonly ServerKind[] s_servers = [ServerKind.Baseline, ServerKind.Switchboard];

    /// <summary>Runs the comparison; returns the process exit code (0 when it completed, whatever the figures).</summary>
    public static async Task<int> RunAsync(CompareOptions options, BenchPaths paths, TextWriter output, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var budget = TimeSpan.FromMinutes(options.BudgetMinutes);
        var sweep = new List<TrialResult>();

        output.WriteLine($"# LoadGen compare ({(options.Quick ? "quick" : "full")}): {Machine()}");
        foreach (int calls in options.Sweep)
        {
            foreach (var kind in s_servers)
            {
                var trial = await TrialRunner.RunAsync(kind, calls, options.MediaSeconds, options.RampRate, paths, cancellationToken).ConfigureAwait(false);
                sweep.Add(trial);
                Progress(output, "sweep", trial, clock.Elapsed);
            }
        }

        var searches = s_servers.ToDictionary(k => k, _ => new CapacitySearch(options.SearchStart, options.MaxCalls, options.Resolution, options.MaxTrialsPerServer));
        var searchTrials = s_servers.ToDictionary(k => k, _ => new List<TrialResult>());
        bool outOfTime = false;
        while (!outOfTime)
        {
            bool any = false;
            foreach (var kind in s_servers)
            {
                if (searches[kind].Next() is not { } calls)
                {
                    continue;
                }

                if (clock.Elapsed > budget)
                {
                    outOfTime = true;
                    output.WriteLine($"search: time budget of {options.BudgetMinutes} min spent; stopping (use --budget-minutes to search longer)");
                    break;
                }

                any = true;
                var trial = await TrialRunner.RunAsync(kind, calls, options.MediaSeconds, options.RampRate, paths, cancellationToken).ConfigureAwait(false);
                searches[kind].Record(calls, trial.Passed);
                searchTrials[kind].Add(trial);
                Progress(output, "search", trial, clock.Elapsed);
            }

            if (!any)
            {
                break;
            }
        }

        var idle = new List<IdleResult>();
        foreach (var kind in s_servers)
        {
            var result = await IdleRunner.RunAsync(kind, options.IdleCalls, options.RampRate, paths, cancellationToken).ConfigureAwait(false);
            idle.Add(result);
            output.WriteLine($"[{clock.Elapsed:mm\\:ss}] idle   {kind,-11} {result.Open}/{result.Calls} open, {result.BytesPerCall / 1024:F1} KB per call{(result.Failure is null ? string.Empty : " FAILURE " + result.Failure)}");
        }

        var search = s_servers.Select(k => new SearchResult
        {
            Server = k,
            MaxCalls = searches[k].LargestPass,
            SmallestFailure = searches[k].SmallestFailure,
            Converged = searches[k].Converged,
            Trials = searchTrials[k],
        }).ToList();

        int baselineMax = search[0].MaxCalls, switchboardMax = search[1].MaxCalls;
        var idleBaseline = idle[0];
        var idleSwitchboard = idle[1];
        double? idleRatio = idleBaseline.Failure is null && idleSwitchboard.Failure is null && idleBaseline.BytesPerCall > 0
            ? idleSwitchboard.BytesPerCall / idleBaseline.BytesPerCall
            : null;
        int lossBelowMax = sweep.Concat(searchTrials[ServerKind.Switchboard])
            .Count(t => t.Server == ServerKind.Switchboard && t.Calls <= switchboardMax && (t.BytesLost > 0 || t.BytesMismatched > 0));

        var report = new CompareReport
        {
            Started = started,
            Machine = Machine(),
            Options = options,
            Sweep = sweep,
            Search = search,
            Idle = idle,
            MaxCallsRatio = baselineMax > 0 ? (double)switchboardMax / baselineMax : null,
            IdleMemoryRatio = idleRatio,
            LossOrReorderBelowMax = lossBelowMax,
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
        };

        output.WriteLine();
        output.WriteLine(Table(report));
        string path = options.Output ?? Path.Combine(paths.Root, "bench", "results", "latest.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, BenchJsonContext.Default.CompareReport), cancellationToken).ConfigureAwait(false);
        output.WriteLine($"full results: {path}");
        var summary = new CompareSummary(
            baselineMax,
            switchboardMax,
            report.MaxCallsRatio,
            idleBaseline.Failure is null ? idleBaseline.BytesPerCall : null,
            idleSwitchboard.Failure is null ? idleSwitchboard.BytesPerCall : null,
            idleRatio,
            lossBelowMax,
            report.ClusterMode,
            Math.Round(report.ElapsedSeconds, 1));
        output.WriteLine(JsonSerializer.Serialize(summary, BenchJsonContext.Default.CompareSummary));
        return 0;
    }

    /// <summary>The Markdown tables of a report.</summary>
    public static string Table(CompareReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var baseline = report.Search[0];
        var switchboard = report.Search[1];
        text.AppendLine("Capacity: largest N with echo p99 < 50 ms, every call completed, nothing lost or reordered, generator on pace (≤ 1 % late ticks)");
        text.AppendLine();
        text.AppendLine("| server | max calls | smallest failing N | converged | trials |");
        text.AppendLine("|---|---:|---:|---|---:|");
        foreach (var s in report.Search)
        {
            text.AppendLine(inv, $"| {Name(s.Server)} | {s.MaxCalls} | {s.SmallestFailure?.ToString(inv) ?? "-"} | {(s.Converged ? "yes" : "no (budget)")} | {s.Trials.Count} |");
        }

        text.AppendLine();
        text.AppendLine("Idle memory: server RSS growth per call (connected + start, no media)");
        text.AppendLine();
        text.AppendLine("| server | calls open / requested | RSS before (MB) | RSS after (MB) | KB per idle call |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var i in report.Idle)
        {
            text.AppendLine(inv, $"| {Name(i.Server)} | {i.Open} / {i.Calls} | {i.RssBeforeKb / 1024.0:F1} | {i.RssAfterKb / 1024.0:F1} | {i.BytesPerCall / 1024:F1} |");
        }

        text.AppendLine();
        text.AppendLine("Sweep (each row a fresh server process; CPU and RSS of the server process only)");
        text.AppendLine();
        text.AppendLine("| N | server | connected / failed | msgs sent / echoed | bytes lost / reordered | p50 | p90 | p99 | max (ms) | server CPU µs/msg | peak RSS (MB) | loadgen CPU s | late ticks |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var t in report.Sweep)
        {
            text.AppendLine(inv, $"| {t.Calls} | {Name(t.Server)} | {t.Connected} / {t.Failed} | {t.MessagesSent} / {t.MessagesEchoed} | {t.BytesLost} / {t.BytesMismatched} | {t.P50Ms:F1} | {t.P90Ms:F1} | {t.P99Ms:F1} | {t.MaxMs:F1} | {t.ServerCpuMicrosPerMessage:F1} | {t.ServerPeakRssKb / 1024.0:F0} | {t.LoadGenCpuSeconds:F1} | {t.LateTicks} |");
        }

        text.AppendLine();
        text.AppendLine("Ratios Switchboard (embedded) / baseline, same run");
        text.AppendLine();
        text.AppendLine("| measure | ratio | target | met |");
        text.AppendLine("|---|---:|---|---|");
        text.AppendLine(inv, $"| max calls (p99 < 50 ms, no loss) | {Ratio(report.MaxCallsRatio)} | ≥ 0.70× | {Met(report.MaxCallsRatio, r => r >= 0.70)} |");
        text.AppendLine(inv, $"| RSS per idle call | {Ratio(report.IdleMemoryRatio)} | ≤ 2.0× | {Met(report.IdleMemoryRatio, r => r <= 2.0)} |");
        foreach (var group in report.Sweep.GroupBy(t => t.Calls))
        {
            var b = group.FirstOrDefault(t => t.Server == ServerKind.Baseline);
            var s = group.FirstOrDefault(t => t.Server == ServerKind.Switchboard);
            if (b is null || s is null || b.Failure is not null || s.Failure is not null)
            {
                continue;
            }

            text.AppendLine(inv, $"| p99 echo RTT at N={group.Key} | {Ratio(Divide(s.P99Ms, b.P99Ms))} | - | - |");
            text.AppendLine(inv, $"| server CPU per message at N={group.Key} | {Ratio(Divide(s.ServerCpuMicrosPerMessage, b.ServerCpuMicrosPerMessage))} | - | - |");
            text.AppendLine(inv, $"| server peak RSS at N={group.Key} | {Ratio(Divide(s.ServerPeakRssKb, b.ServerPeakRssKb))} | - | - |");
        }

        text.AppendLine(inv, $"| trials ≤ Switchboard's max with loss or reordering | {report.LossOrReorderBelowMax} | 0 | {(report.LossOrReorderBelowMax == 0 ? "yes" : "NO")} |");
        text.AppendLine();
        text.Append("cluster mode: ").Append(report.ClusterMode);
        return text.ToString();
    }

    /// <summary>Processor count, OS and runtime of this machine.</summary>
    public static string Machine() =>
        $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}";

    private static void Progress(TextWriter output, string phase, TrialResult t, TimeSpan elapsed)
    {
        string outcome = t.Failure is not null ? "FAILURE " + t.Failure
            : $"{(t.Passed ? "pass" : "FAIL")} {t.Connected}/{t.Calls} connected, p50 {t.P50Ms:F1} p99 {t.P99Ms:F1} max {t.MaxMs:F1} ms, lost {t.BytesLost} B, reordered {t.BytesMismatched} B, errors {t.ErrorCount}, server CPU {t.ServerCpuSeconds:F1} s, loadgen CPU {t.LoadGenCpuSeconds:F1} s, late ticks {t.LateTicks}{(t.GeneratorKeptPace ? string.Empty : " (generator behind)")}";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{elapsed:mm\\:ss}] {phase,-6} {t.Server,-11} N={t.Calls,-5} {outcome}"));
        if (!t.Passed && t.Errors.Count > 0)
        {
            output.WriteLine($"         first error: {t.Errors[0]}");
        }
    }

    private static string Name(ServerKind kind) => kind == ServerKind.Baseline ? "baseline (Kestrel echo)" : "Switchboard embedded";

    private static double? Divide(double a, double b) => b > 0 ? a / b : null;

    private static string Ratio(double? ratio) => ratio is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) + "×" : "n/a";

    private static string Met(double? ratio, Func<double, bool> test) => ratio is { } r ? (test(r) ? "yes" : "NO") : "n/a";
}
