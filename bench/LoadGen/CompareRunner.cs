using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// <c>LoadGen compare</c>: (a) a sweep of N, (b) the capacity search, (c) RSS per idle call, always interleaving the
/// servers (baseline, embedded, cluster, baseline, embedded, cluster…) so drift of the machine hits all alike, each
/// trial on a fresh server (cluster mode: a fresh gateway and silo with a cluster id of their own, on the run's one
/// PostgreSQL). Prints Markdown tables with each mode's ratios to the baseline and writes the full JSON.
/// </summary>
internal static class CompareRunner
{
    /// <summary>Runs the comparison; returns the process exit code (0 when it completed, whatever the figures).</summary>
    public static async Task<int> RunAsync(CompareOptions options, ServerFactory servers, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(output);
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var budget = TimeSpan.FromMinutes(options.BudgetMinutes);
        var kinds = options.Servers;
        var sweep = new List<TrialResult>();

        output.WriteLine($"# LoadGen compare ({(options.Quick ? "quick" : "full")}): {Machine()}; servers {string.Join(", ", kinds.Select(k => k.CommandName()))}");
        foreach (int calls in options.Sweep)
        {
            foreach (var kind in kinds)
            {
                var trial = await TrialRunner.RunAsync(kind, calls, options.MediaSeconds, options.RampRate, servers, cancellationToken).ConfigureAwait(false);
                sweep.Add(trial);
                Progress(output, "sweep", trial, clock.Elapsed);
            }
        }

        var searches = kinds.ToDictionary(k => k, _ => new CapacitySearch(options.SearchStart, options.MaxCalls, options.Resolution, options.MaxTrialsPerServer));
        var searchTrials = kinds.ToDictionary(k => k, _ => new List<TrialResult>());
        bool outOfTime = false;
        while (!outOfTime)
        {
            bool any = false;
            foreach (var kind in kinds)
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
                var trial = await TrialRunner.RunAsync(kind, calls, options.MediaSeconds, options.RampRate, servers, cancellationToken).ConfigureAwait(false);
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
        foreach (var kind in kinds)
        {
            var result = await IdleRunner.RunAsync(kind, options.IdleCalls, options.RampRate, servers, cancellationToken).ConfigureAwait(false);
            idle.Add(result);
            string parts = result.Processes.Count > 1
                ? " (" + string.Join(", ", result.Processes.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Role} {p.RssBeforeKb / 1024.0:F1} → {p.RssAfterKb / 1024.0:F1} MB"))) + ")"
                : string.Empty;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed:mm\\:ss}] idle   {kind,-11} {result.Open}/{result.Calls} open, {result.BytesPerCall / 1024:F1} KB per call{parts}{(result.Failure is null ? string.Empty : " FAILURE " + result.Failure)}"));
        }

        var search = kinds.Select(k => new SearchResult
        {
            Server = k,
            MaxCalls = searches[k].LargestPass,
            SmallestFailure = searches[k].SmallestFailure,
            Converged = searches[k].Converged,
            Trials = searchTrials[k],
        }).ToList();

        var report = new CompareReport
        {
            Started = started,
            Machine = Machine(),
            Options = options,
            Sweep = sweep,
            Search = search,
            Idle = idle,
            Comparisons = Compare(sweep, search, idle),
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
        };

        output.WriteLine();
        output.WriteLine(Table(report));
        string path = options.Output ?? Path.Combine(servers.Paths.Root, "bench", "results", "latest.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, BenchJsonContext.Default.CompareReport), cancellationToken).ConfigureAwait(false);
        output.WriteLine($"full results: {path}");
        output.WriteLine(JsonSerializer.Serialize(CompareSummary.From(report), BenchJsonContext.Default.CompareSummary));
        return 0;
    }

    /// <summary>Embedded and cluster mode against the baseline, for those that ran.</summary>
    public static IReadOnlyList<ModeComparison> Compare(IReadOnlyList<TrialResult> sweep, IReadOnlyList<SearchResult> search, IReadOnlyList<IdleResult> idle)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(search);
        var trials = sweep.Concat(search.SelectMany(s => s.Trials)).ToList();
        return new[] { ServerKind.Embedded, ServerKind.Cluster }
            .Select(k => ModeComparison.Compute(k, trials, search, idle))
            .OfType<ModeComparison>()
            .ToList();
    }

    /// <summary>The Markdown tables of a report.</summary>
    public static string Table(CompareReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("Capacity: largest N with echo p99 < 50 ms, every call completed, nothing lost or reordered, generator on pace (≤ 1 % late ticks)");
        text.AppendLine();
        text.AppendLine("| server | max calls | smallest failing N | converged | trials |");
        text.AppendLine("|---|---:|---:|---|---:|");
        foreach (var s in report.Search)
        {
            text.AppendLine(inv, $"| {s.Server.DisplayName()} | {s.MaxCalls} | {s.SmallestFailure?.ToString(inv) ?? "-"} | {(s.Converged ? "yes" : "no (budget)")} | {s.Trials.Count} |");
        }

        text.AppendLine();
        text.AppendLine("Idle memory: server RSS growth per call (connected + start, no media; cluster: gateway + silo)");
        text.AppendLine();
        text.AppendLine("| server | calls open / requested | RSS before (MB) | RSS after (MB) | KB per idle call | per process, before → after (MB) |");
        text.AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var i in report.Idle)
        {
            string parts = i.Processes.Count > 1
                ? string.Join(", ", i.Processes.Select(p => string.Create(inv, $"{p.Role} {p.RssBeforeKb / 1024.0:F1} → {p.RssAfterKb / 1024.0:F1}")))
                : "-";
            text.AppendLine(inv, $"| {i.Server.DisplayName()} | {i.Open} / {i.Calls} | {i.RssBeforeKb / 1024.0:F1} | {i.RssAfterKb / 1024.0:F1} | {i.BytesPerCall / 1024:F1} | {parts} |");
        }

        text.AppendLine();
        text.AppendLine("Sweep (each row a fresh server; CPU and RSS of the server's processes: cluster = gateway + silo, PostgreSQL not included)");
        text.AppendLine();
        text.AppendLine("| N | server | connected / failed | msgs sent / echoed | bytes lost / reordered | p50 | p90 | p99 | max (ms) | server CPU µs/msg | peak RSS (MB) | loadgen CPU s | late ticks |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var t in report.Sweep)
        {
            text.AppendLine(inv, $"| {t.Calls} | {t.Server.DisplayName()} | {t.Connected} / {t.Failed} | {t.MessagesSent} / {t.MessagesEchoed} | {t.BytesLost} / {t.BytesMismatched} | {t.P50Ms:F1} | {t.P90Ms:F1} | {t.P99Ms:F1} | {t.MaxMs:F1} | {t.ServerCpuMicrosPerMessage:F1} | {t.ServerPeakRssKb / 1024.0:F0} | {t.LoadGenCpuSeconds:F1} | {t.LateTicks} |");
        }

        var clusterRows = report.Sweep.Where(t => t.Server == ServerKind.Cluster && t.Failure is null && t.Processes.Count > 1).ToList();
        if (clusterRows.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Cluster mode per process (sweep rows above; PostgreSQL is shared by the run and shares the cores)");
            text.AppendLine();
            text.AppendLine("| N | gateway CPU µs/msg | gateway peak RSS (MB) | silo CPU µs/msg | silo peak RSS (MB) | PostgreSQL CPU µs/msg |");
            text.AppendLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var t in clusterRows)
            {
                var gateway = t.Processes.FirstOrDefault(p => p.Role == "gateway");
                var silo = t.Processes.FirstOrDefault(p => p.Role == "silo");
                text.AppendLine(inv, $"| {t.Calls} | {PerMessage(gateway?.CpuSeconds, t)} | {Megabytes(gateway?.PeakRssKb)} | {PerMessage(silo?.CpuSeconds, t)} | {Megabytes(silo?.PeakRssKb)} | {PerMessage(t.StoreCpuSeconds, t)} |");
            }
        }

        if (report.Comparisons.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(RatioTable(report));
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>Processor count, OS and runtime of this machine.</summary>
    public static string Machine() =>
        $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}";

    private static string RatioTable(CompareReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var modes = report.Comparisons;
        var text = new StringBuilder();
        text.AppendLine(inv, $"Ratios {string.Join(" and ", modes.Select(m => m.Server.CommandName()))} / baseline, same run");
        text.AppendLine();
        text.Append("| measure |");
        foreach (var m in modes)
        {
            text.Append(inv, $" {m.Server.CommandName()} / baseline | target | met |");
        }

        text.AppendLine();
        text.Append("|---|");
        foreach (var _ in modes)
        {
            text.Append("---:|---|---|");
        }

        text.AppendLine();
        Row(text, "max calls (p99 < 50 ms, no loss)", modes, m => (Ratio(m.MaxCallsRatio), string.Create(inv, $"≥ {m.MaxCallsTarget:F2}×"), Met(m.MaxCallsTargetMet)));
        Row(text, "RSS per idle call", modes, m => (Ratio(m.IdleMemoryRatio), string.Create(inv, $"≤ {m.IdleMemoryTarget:F1}×"), Met(m.IdleMemoryTargetMet)));
        foreach (var group in report.Sweep.GroupBy(t => t.Calls))
        {
            var b = group.FirstOrDefault(t => t.Server == ServerKind.Baseline && t.Failure is null);
            TrialResult? Of(ModeComparison m) => group.FirstOrDefault(t => t.Server == m.Server && t.Failure is null);
            Row(text, $"p99 echo RTT at N={group.Key}", modes, m => (Ratio(Divide(Of(m)?.P99Ms, b?.P99Ms)), "-", "-"));
            Row(text, $"server CPU per message at N={group.Key}", modes, m => (Ratio(Divide(Of(m)?.ServerCpuMicrosPerMessage, b?.ServerCpuMicrosPerMessage)), "-", "-"));
            Row(text, $"server peak RSS at N={group.Key}", modes, m => (Ratio(Divide(Of(m)?.ServerPeakRssKb, b?.ServerPeakRssKb)), "-", "-"));
        }

        Row(text, "trials ≤ the mode's max with loss or reordering", modes, m => (m.LossOrReorderBelowMax.ToString(inv), "0", m.LossOrReorderBelowMax == 0 ? "yes" : "NO"));
        return text.ToString().TrimEnd();
    }

    private static void Row(StringBuilder text, string measure, IReadOnlyList<ModeComparison> modes, Func<ModeComparison, (string Value, string Target, string Met)> cells)
    {
        text.Append("| ").Append(measure).Append(" |");
        foreach (var m in modes)
        {
            var (value, target, met) = cells(m);
            text.Append(' ').Append(value).Append(" | ").Append(target).Append(" | ").Append(met).Append(" |");
        }

        text.AppendLine();
    }

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

    private static double? Divide(double? a, double? b) => a is { } x && b is { } y && y > 0 ? x / y : null;

    private static string PerMessage(double? cpuSeconds, TrialResult t) =>
        cpuSeconds is { } s && t.MessagesSent > 0 ? (s * 1e6 / t.MessagesSent).ToString("F1", CultureInfo.InvariantCulture) : "n/a";

    private static string Megabytes(long? kb) => kb is { } k ? (k / 1024.0).ToString("F0", CultureInfo.InvariantCulture) : "n/a";

    private static string Ratio(double? ratio) => ratio is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) + "×" : "n/a";

    private static string Met(bool? met) => met is { } m ? (m ? "yes" : "NO") : "n/a";
}
