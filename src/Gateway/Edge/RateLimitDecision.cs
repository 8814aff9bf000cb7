namespace Switchboard.Gateway.Edge;

/// <summary>Outcome of <see cref="UpgradeRateLimiter.TryAcquire"/>.</summary>
/// <param name="Allowed">Whether the upgrade may proceed.</param>
/// <param name="RetryAfter">When refused: how long until the address has a token again.</param>
/// <param name="FirstRefusal">When refused: whether this is the first refusal since the address was last admitted
/// (one log line per flood episode, not one per request).</param>
internal readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter, bool FirstRefusal)
{
    public static RateLimitDecision Allow => new(true, TimeSpan.Zero, false);
}
