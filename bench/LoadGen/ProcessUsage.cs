namespace Switchboard.Bench.LoadGen;

/// <summary>One process's share of a trial: CPU seconds during the trial and its peak RSS (VmHWM), kB.</summary>
internal sealed record ProcessUsage(string Role, double CpuSeconds, long PeakRssKb);
