using Microsoft.Extensions.Logging;

namespace Switchboard.Gateway.Edge;

/// <summary>Log events of the gateway's edge limits (event ids 1400–1449).</summary>
internal static partial class EdgeLog
{
    [LoggerMessage(EventId = 1400, EventName = "UpgradeRateLimited", Level = LogLevel.Warning,
        Message = "Upgrade from {RemoteAddress} refused with 429: over {PerSecond}/s (burst {Burst}) from this address; further refusals until it slows down are only counted")]
    public static partial void UpgradeRateLimited(ILogger logger, string? remoteAddress, double perSecond, int burst);

    [LoggerMessage(EventId = 1401, EventName = "UpgradeOverCapacity", Level = LogLevel.Warning,
        Message = "Upgrade from {RemoteAddress} refused with 503: the gateway holds {Held} of {MaxConnections} connections")]
    public static partial void UpgradeOverCapacity(ILogger logger, string? remoteAddress, int held, int maxConnections);

    [LoggerMessage(EventId = 1402, EventName = "InsecureUpgradeRefused", Level = LogLevel.Warning,
        Message = "Upgrade from {RemoteAddress} to {Path} refused with 403: plain ws:// in Production (the peer is not a known proxy reporting X-Forwarded-Proto: https)")]
    public static partial void InsecureUpgradeRefused(ILogger logger, string? remoteAddress, string path);

    [LoggerMessage(EventId = 1403, EventName = "IncompleteRequestDropped", Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} from {RemoteAddress} ended after {ElapsedMs:0} ms without a complete request (request headers timeout {RequestHeadersTimeout})")]
    public static partial void IncompleteRequestDropped(ILogger logger, string connectionId, string? remoteAddress, double elapsedMs, TimeSpan requestHeadersTimeout);

    [LoggerMessage(EventId = 1404, EventName = "EdgeOptionsEffective", Level = LogLevel.Information,
        Message = "Gateway edge: TLS {TlsOn}, max connections {MaxConnections}, upgrades per address {PerSecond}/s burst {Burst} (0 = off), request headers timeout {RequestHeadersTimeout}, known proxies [{KnownProxies}]")]
    public static partial void EdgeOptionsEffective(ILogger logger, bool tlsOn, int maxConnections, double perSecond, int burst, TimeSpan requestHeadersTimeout, string knownProxies);

    [LoggerMessage(EventId = 1405, EventName = "UpgradeRateLimitTableFull", Level = LogLevel.Warning,
        Message = "Upgrade rate limiter tracks {Tracked} addresses, its maximum; new addresses are admitted untracked until idle ones expire")]
    public static partial void UpgradeRateLimitTableFull(ILogger logger, int tracked);
}
