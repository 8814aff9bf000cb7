using Microsoft.Extensions.Logging;

namespace Switchboard.Gateway.Security;

/// <summary>Log events of the signature checks (event ids 1100–1199).</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 1100, EventName = "AuthFailure", Level = LogLevel.Warning,
        Message = "AUTH_FAILURE {Endpoint} request {ConnectionId} rejected from {RemoteAddress}: {Reason}")]
    public static partial void AuthFailure(ILogger logger, string endpoint, string connectionId, string? remoteAddress, string reason);

    [LoggerMessage(EventId = 1101, EventName = "SignatureValidationDisabled", Level = LogLevel.Warning,
        Message = "Twilio signature validation is OFF: no auth token configured (set TWILIO_AUTH_TOKEN)")]
    public static partial void SignatureValidationDisabled(ILogger logger);

    [LoggerMessage(EventId = 1110, EventName = "OriginRejected", Level = LogLevel.Warning,
        Message = "AUTH_FAILURE media-stream upgrade {ConnectionId} rejected from {RemoteAddress}: origin {Origin} is not in Gateway:AllowedOrigins")]
    public static partial void OriginRejected(ILogger logger, string connectionId, string? remoteAddress, string origin);
}
