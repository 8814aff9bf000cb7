namespace Switchboard.TwilioSim;

/// <summary>
/// A message the server sends to Twilio (bidirectional streams): <c>media</c> with a payload, <c>mark</c>
/// with a name, or <c>clear</c>. Fields are nullable because validation is the caller's job: a malformed
/// message is a counted protocol error, not an exception.
/// </summary>
internal sealed record OutboundMessage(string? Event, string? StreamSid, OutboundMedia? Media, OutboundMark? Mark);
