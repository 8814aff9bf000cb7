using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Gateway.Twilio;

/// <summary>Outcome of parsing one inbound frame: a message, or an error kind with a human-readable reason.</summary>
internal readonly record struct TwilioParseResult(TwilioInboundMessage? Message, TwilioParseError Error, string? ErrorMessage)
{
    [MemberNotNullWhen(true, nameof(Message))]
    public bool IsOk => Message is not null;

    public static TwilioParseResult Ok(TwilioInboundMessage message) => new(message, TwilioParseError.None, null);

    public static TwilioParseResult Fail(TwilioParseError error, string message) => new(null, error, message);
}
