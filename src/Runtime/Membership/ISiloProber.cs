namespace Switchboard.Runtime.Membership;

/// <summary>Direct liveness probe of another silo over the cluster transport (a ping frame and its pong).</summary>
internal interface ISiloProber
{
    /// <summary>True if <paramref name="silo"/> answered within <paramref name="timeout"/>. Never throws for network
    /// failures: a broken or refused connection is a failed probe, reported at once rather than after the timeout.</summary>
    Task<bool> ProbeAsync(SiloAddress silo, TimeSpan timeout, CancellationToken cancellationToken);
}
