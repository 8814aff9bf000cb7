namespace Switchboard.Bench.LoadGen.Tests;

/// <summary>Small results to feed the pure parts of the comparison.</summary>
internal static class Figures
{
    public static TrialResult Trial(ServerKind server, int calls, bool passed = true, long lost = 0, double p99 = 10, double cpu = 1, long peakKb = 100_000) => new()
    {
        Server = server,
        Calls = calls,
        Connected = calls,
        MessagesSent = 1000,
        BytesLost = lost,
        P99Ms = p99,
        ServerCpuSeconds = cpu,
        ServerPeakRssKb = peakKb,
        Passed = passed,
    };

    public static SearchResult Search(ServerKind server, int max, params TrialResult[] trials) =>
        new() { Server = server, MaxCalls = max, Converged = true, Trials = trials };

    public static IdleResult Idle(ServerKind server, double bytesPerCall, string? failure = null) =>
        new() { Server = server, Calls = 100, Open = failure is null ? 100 : 0, BytesPerCall = bytesPerCall, Failure = failure };
}
