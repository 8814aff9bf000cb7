using System.Runtime.CompilerServices;

namespace Switchboard.Cluster.Tests.Harness;

/// <summary>
/// The simulated Twilio side runs in this test process and measures echo gaps; a gap it causes itself reads as a server
/// stall. On 2 cores the pool starts with 2 threads, and when the test's own work briefly holds them the pool adds one
/// only after about half a second: that was seen once as a 531 ms gap on every call while all three server processes
/// (which report their own pool delay) and the CPU were idle. A larger floor keeps the harness out of the measurement.
/// </summary>
internal static class SimulatorThreads
{
    public const int MinimumThreads = 32;

    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinimumThreads), Math.Max(completionPorts, MinimumThreads));
    }
}
