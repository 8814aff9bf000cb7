namespace Switchboard.TestInfrastructure;

/// <summary>
/// For test processes that host the simulated Twilio side (TwilioSim in-process) and measure echo gaps with it. On 2
/// cores the pool starts with 2 threads; when the test host briefly holds them, the pool adds one only every half
/// second, and the simulator's own stall reads as a 0.5-1 s server gap on every call (seen in the gateway and the
/// cluster tests while the servers and the CPU were idle). A larger floor keeps the harness out of the measurement; a
/// server that blocks its own threads still shows, in its own process.
/// </summary>
public static class SimulatorThreadPool
{
    /// <summary>Raises the pool's minimum worker and I/O threads to at least <paramref name="threads"/>.</summary>
    public static void EnsureMinimum(int threads)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, threads), Math.Max(completionPorts, threads));
    }
}
