namespace Switchboard.Bench.LoadGen;

/// <summary>
/// CPU and memory of a server under test at one instant: the sum over its processes (one for the baseline and
/// embedded mode, gateway + silo for cluster mode) and each process on its own.
/// </summary>
internal sealed record ServerStats(IReadOnlyList<(string Role, ProcessStats Stats)> Processes)
{
    /// <summary>CPU seconds (user + system) of all processes.</summary>
    public double CpuSeconds => Processes.Sum(p => p.Stats.CpuSeconds);

    /// <summary>VmRSS of all processes, kB.</summary>
    public long RssKb => Processes.Sum(p => p.Stats.RssKb);

    /// <summary>
    /// Sum of each process's VmHWM, kB. The processes need not peak at the same moment, so this is an upper bound of
    /// the server's peak footprint; with one process it is exact.
    /// </summary>
    public long PeakRssKb => Processes.Sum(p => p.Stats.PeakRssKb);
}
