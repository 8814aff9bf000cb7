using Switchboard.Grains;

namespace Switchboard.Gateway.Twilio;

/// <summary>
/// One parsed inbound message. Exactly the member matching <see cref="Kind"/> is set; the payload records are the
/// grain contract's, so the session forwards them without another copy.
/// </summary>
internal sealed record TwilioInboundMessage(
    TwilioEventKind Kind,
    string? StreamSid,
    TwilioConnected? Connected = null,
    StreamStart? Start = null,
    InboundMedia? Media = null,
    DtmfEvent? Dtmf = null,
    MarkEcho? Mark = null,
    StreamStop? Stop = null);
