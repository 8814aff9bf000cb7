using System.Runtime.CompilerServices;
using Switchboard.TestInfrastructure;

namespace Switchboard.Cluster.Tests.Harness;

/// <summary>Every cluster test streams simulated calls from this process: the pool floor is raised before any runs
/// (see <see cref="SimulatorThreadPool"/>; here a 531 ms gap on every call 2-3 s after a PostgreSQL restart).</summary>
internal static class SimulatorThreads
{
    [ModuleInitializer]
    internal static void Raise() => SimulatorThreadPool.EnsureMinimum(32);
}
