using Microsoft.Extensions.Logging;

namespace Switchboard.Grains.Calls;

internal static partial class CallLog
{
    [LoggerMessage(EventId = 2300, EventName = "SecondStreamRefused", Level = LogLevel.Warning,
        Message = "Call {CallSid}: stream {StreamSid} refused, the call is streaming on {HolderStreamSid}")]
    public static partial void SecondStreamRefused(ILogger logger, string callSid, string streamSid, string holderStreamSid);

    [LoggerMessage(EventId = 2301, EventName = "HolderCheckFailed", Level = LogLevel.Warning,
        Message = "Call {CallSid}: could not ask stream {HolderStreamSid} whether it is live; a second stream is refused meanwhile")]
    public static partial void HolderCheckFailed(ILogger logger, string callSid, string holderStreamSid, Exception exception);
}
