namespace Switchboard.Gateway.Edge;

/// <summary>
/// Token bucket per client address for WebSocket upgrades (<c>Gateway:UpgradeRateLimit</c>). Every Twilio call arrives
/// from one of Twilio's few media addresses, so the defaults sit far above what one gateway can hold (a call lasts
/// minutes; 100 new calls per second from one address is thousands of concurrent calls) and only a flood reaches them.
/// IPv6 clients are counted per /64, the block a single host usually controls.
/// </summary>
public sealed class UpgradeRateLimitOptions
{
    /// <summary>Default of <see cref="PerAddressPerSecond"/>.</summary>
    public const double DefaultPerAddressPerSecond = 100;

    /// <summary>Default of <see cref="Burst"/>.</summary>
    public const int DefaultBurst = 200;

    /// <summary>Sustained upgrades per second accepted from one address; <c>0</c> turns the limit off. Default 100.</summary>
    public double PerAddressPerSecond { get; set; } = DefaultPerAddressPerSecond;

    /// <summary>Upgrades one address may make at once before the sustained rate applies. Default 200.</summary>
    public int Burst { get; set; } = DefaultBurst;

    /// <summary>Whether the limit is on (<see cref="PerAddressPerSecond"/> greater than zero).</summary>
    public bool Enabled => PerAddressPerSecond > 0;
}
