namespace Switchboard.Gateway;

/// <summary>Identity of this gateway process for grain calls and health reports: name plus a per-start generation.</summary>
internal sealed class GatewayIdentity(TimeProvider timeProvider)
{
    public string NodeId { get; } = $"gateway-{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}";

    public DateTimeOffset StartedAt { get; } = timeProvider.GetUtcNow();
}
