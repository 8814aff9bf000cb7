namespace Switchboard.Grains.Health;

/// <summary>
/// The health grain's state, without the runtime: the last report per node, a time-bounded and count-bounded
/// latency window, and a ring of history points.
/// </summary>
/// <remarks>
/// Times are the aggregator's own clock at receipt (not <see cref="NodeReport.SentAt"/>), so clock skew between
/// nodes cannot make a reporter look live or silent. A reporter is live while its last report is younger than
/// <see cref="HealthOptions.ReporterSilenceLimit"/>, silent after, and forgotten after
/// <see cref="HealthOptions.ReporterExpiry"/>. Connections = sum over live gateways (silo counts would double-count
/// the same streams). Uptime = now − earliest <see cref="NodeReport.StartedAt"/> among live reporters. Invalid
/// latency samples (NaN, infinite, negative) are ignored. History gets at most one point per
/// <see cref="HealthOptions.HistoryInterval"/>, added when a report arrives.
/// </remarks>
internal sealed class HealthAggregator(HealthOptions options)
{
    private readonly Dictionary<string, (NodeReport Report, DateTimeOffset ReceivedAt)> _nodes = new(StringComparer.Ordinal);
    private readonly Queue<(DateTimeOffset At, double Ms)> _samples = new();
    private readonly Queue<HealthHistoryPoint> _history = new();

    /// <summary>Status of the last snapshot computed on a report, for change logging.</summary>
    public HealthStatus? LastStatus { get; private set; }

    /// <summary>Samples ignored as invalid.</summary>
    public long InvalidSamples { get; private set; }

    /// <summary>Records <paramref name="report"/> received at <paramref name="now"/>; returns the resulting snapshot.</summary>
    public HealthSnapshot Report(NodeReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        _nodes[report.NodeId] = (report, now);
        foreach (var sample in report.LatencySamplesMs ?? [])
        {
            if (double.IsNaN(sample) || double.IsInfinity(sample) || sample < 0)
            {
                InvalidSamples++;
                continue;
            }

            _samples.Enqueue((now, sample));
        }

        var snapshot = GetSnapshot(now);
        var last = _history.Count > 0 ? _history.Last() : null;
        if (last is null || now - last.At >= options.HistoryInterval)
        {
            _history.Enqueue(new HealthHistoryPoint(now, snapshot.Status, snapshot.Connections, snapshot.LatencyP99Ms));
            while (_history.Count > options.HistoryCapacity)
            {
                _history.Dequeue();
            }

            snapshot = snapshot with { History = [.. _history] };
        }

        LastStatus = snapshot.Status;
        return snapshot;
    }

    /// <summary>The aggregate at <paramref name="now"/> (prunes expired reporters and old samples).</summary>
    public HealthSnapshot GetSnapshot(DateTimeOffset now)
    {
        Prune(now);
        var nodes = _nodes.Values
            .OrderBy(n => n.Report.NodeId, StringComparer.Ordinal)
            .Select(n => new NodeHealth(n.Report.NodeId, n.Report.Role, n.Report.Connections, n.ReceivedAt, now - n.ReceivedAt >= options.ReporterSilenceLimit, n.Report.StoreError))
            .ToList();
        var live = _nodes.Values.Where(n => now - n.ReceivedAt < options.ReporterSilenceLimit).ToList();
        var connections = live.Where(n => n.Report.Role == NodeRole.Gateway).Sum(n => Math.Max(0, n.Report.Connections));
        var uptime = live.Count == 0 ? 0 : Math.Max(0, (now - live.Min(n => n.Report.StartedAt)).TotalSeconds);

        var sorted = _samples.Select(s => s.Ms).ToList();
        sorted.Sort();
        var p50 = HealthRules.Percentile(sorted, 50);
        var p99 = HealthRules.Percentile(sorted, 99);
        var (status, reasons) = HealthRules.Evaluate(nodes, p99, options);
        return new HealthSnapshot(status, uptime, connections, p50, p99, reasons, nodes, [.. _history]);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var expired in _nodes.Where(n => now - n.Value.ReceivedAt >= options.ReporterExpiry).Select(n => n.Key).ToList())
        {
            _nodes.Remove(expired);
        }

        while (_samples.Count > 0 && (now - _samples.Peek().At > options.LatencyWindow || _samples.Count > options.MaxLatencySamples))
        {
            _samples.Dequeue();
        }
    }
}
