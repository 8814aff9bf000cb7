namespace Switchboard.Gateway.Edge;

/// <summary>
/// Limits applied at the gateway's edge, before a WebSocket is upgraded: the per-address upgrade rate, the number of
/// connections held, Kestrel's HTTP limits, TLS and the proxies whose forwarded headers are trusted. Bound from the
/// <c>Gateway</c> section (<c>Gateway:MaxConnections</c>, <c>Gateway:KnownProxies</c>, <c>Gateway:UpgradeRateLimit:*</c>,
/// <c>Gateway:Http:*</c>, <c>Gateway:Tls:*</c>) and validated at start by <see cref="EdgeOptionsValidator"/>.
/// </summary>
public sealed class EdgeOptions
{
    /// <summary>Configuration section name (shared with <see cref="Configuration.GatewayOptions"/>).</summary>
    public const string SectionName = "Gateway";

    /// <summary>Default of <see cref="MaxConnections"/>.</summary>
    public const int DefaultMaxConnections = 10_000;

    /// <summary>Upper bound accepted for <see cref="MaxConnections"/>.</summary>
    public const int MaxMaxConnections = 1_000_000;

    /// <summary>
    /// Most WebSocket connections (Twilio media streams plus application streams) this gateway holds at once. One more
    /// upgrade is answered 503 with <c>Retry-After</c> before it is upgraded, and <c>/health</c> reports not ready while
    /// the gateway is full. Default 10 000.
    /// </summary>
    public int MaxConnections { get; set; } = DefaultMaxConnections;

    /// <summary>
    /// Addresses (<c>10.0.0.5</c>) or networks (<c>172.16.0.0/12</c>) of the reverse proxies in front of the gateway.
    /// Only a request whose peer is one of them has its <c>X-Forwarded-For</c> (client address: rate limiting, logs) and
    /// <c>X-Forwarded-Proto</c> (whether the client used TLS) honoured. A single value may list several, comma-separated.
    /// Default empty: forwarded headers are ignored.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Per-address limit on WebSocket upgrades.</summary>
    public UpgradeRateLimitOptions UpgradeRateLimit { get; set; } = new();

    /// <summary>Kestrel's HTTP limits (headers, bodies, keep-alive).</summary>
    public HttpLimitsOptions Http { get; set; } = new();

    /// <summary>TLS termination by Kestrel itself (<c>wss://</c> without a proxy).</summary>
    public TlsOptions Tls { get; set; } = new();
}
