namespace Switchboard.Runtime.Membership;

/// <summary>What a silo's monitor knows about one probed silo. Guarded by the agent's lock.</summary>
internal sealed class ProbeTargetState
{
    /// <summary>Consecutive failed probes; a successful probe resets it.</summary>
    public int Misses { get; set; }

    /// <summary>Probes started and not finished.</summary>
    public int InFlight { get; set; }

    /// <summary>A vote on this target is being written (one at a time per target).</summary>
    public bool Voting { get; set; }
}
