using Microsoft.Extensions.Logging;

namespace Switchboard.Gateway.Security;

/// <summary>Log events of the signature checks (event ids 1100–1199).</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 1100, EventName = "AuthFailure", Level = LogLevel.Warning,
        Message = "AUTH_FAILURE {Endpoint} rejected from {RemoteAddress}: {Reason}")]
    public static partial void AuthFailure(ILogger logger, string endpoint, string? remoteAddress, string reason);

    [LoggerMessage(EventId = 1101, EventName = "SignatureValidationDisabled", Level = LogLevel.Warning,
        Message = "Twilio signature validation is OFF: no auth token configured (set TWILIO_AUTH_TOKEN)")]
    public static partial void SignatureValidationDisabled(ILogger logger);
}
