namespace Switchboard.Runtime.Configuration;

/// <summary>How a cluster node routes grain messages while a grain's silo fails over (configuration section <c>Routing</c>).</summary>
public sealed class RoutingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Routing";

    /// <summary>Messages held per grain while its silo is unreachable and the grain is being re-placed; past it, new
    /// one-way messages are dropped (counted, logged) and requests rejected. Default 250: 5 s of a call's audio at 50
    /// messages a second.</summary>
    public int FailoverBufferCapacity { get; set; } = 250;

    /// <summary>How long held messages wait for the grain to be re-placed before they are given up. Default 30 s.</summary>
    public TimeSpan FailoverTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between re-resolution attempts while waiting (a membership change wakes it earlier). Default 100 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Timeout of the direct probe used to tell a transient disconnect from a dead silo. Default 500 ms.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a stopping silo waits for its peers to acknowledge that it is leaving before it hands its grains
    /// off. Each acknowledgement follows everything that peer sent before it, so waiting for them means the grains
    /// process, in order, every message already on its way. Default 1 s (a healthy peer answers in a round trip).</summary>
    public TimeSpan LeaveAcknowledgeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a stopping silo keeps forwarding stray messages after its grains were handed off. Default 2 s.</summary>
    public TimeSpan ShutdownDrainTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A cached grain route unused this long is forgotten (and the sweep runs this often). Default 2 min.</summary>
    public TimeSpan RouteIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
