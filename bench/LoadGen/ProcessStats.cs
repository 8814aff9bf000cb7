using System.Globalization;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// CPU time and memory of one process read from <c>/proc/&lt;pid&gt;/stat</c> (utime + stime, clock ticks of 1/100 s,
/// the Linux USER_HZ) and <c>/proc/&lt;pid&gt;/status</c> (VmRSS, VmHWM in kB). Linux only; a process that is gone
/// reads as null.
/// </summary>
internal sealed record ProcessStats(double CpuSeconds, long RssKb, long PeakRssKb)
{
    /// <summary>Linux USER_HZ: the unit of the CPU times in <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    public const double ClockTicksPerSecond = 100;

    /// <summary>Reads the process's figures now, or null if it cannot be read.</summary>
    public static ProcessStats? Read(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");

            // Field 2 (comm) may contain spaces and parentheses: count fields after the last ')'.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
            long stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            long rss = 0, hwm = 0;
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = ParseKb(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = ParseKb(line);
                }
            }

            return new ProcessStats((utime + stime) / ClockTicksPerSecond, rss, hwm);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static long ParseKb(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
}
