using Microsoft.Extensions.Logging;

namespace Switchboard.Gateway.AppStreams;

/// <summary>Log events of application streams (event ids 1450–1469). Authentication failures use the shared
/// <c>AuthFailure</c> event (1100).</summary>
internal static partial class AppStreamLog
{
    [LoggerMessage(EventId = 1450, EventName = "AppStreamAuthenticated", Level = LogLevel.Information,
        Message = "App stream upgrade from {RemoteAddress} authenticated as {Subject}; token accepted until {ValidUntil:O}")]
    public static partial void Authenticated(ILogger logger, string? remoteAddress, string subject, DateTimeOffset validUntil);

    [LoggerMessage(EventId = 1451, EventName = "AppTokenExpired", Level = LogLevel.Warning,
        Message = "AUTH_FAILURE app stream {ConnectionId} from {RemoteAddress}: token of {Subject} expired at {ValidUntil:O}; closing with {CloseStatus}")]
    public static partial void TokenExpired(ILogger logger, string connectionId, string? remoteAddress, string subject, DateTimeOffset validUntil, int closeStatus);

    [LoggerMessage(EventId = 1452, EventName = "AppStreamRefusedDraining", Level = LogLevel.Information,
        Message = "App stream upgrade from {RemoteAddress} refused with 503: the gateway is draining")]
    public static partial void RefusedDraining(ILogger logger, string? remoteAddress);
}
