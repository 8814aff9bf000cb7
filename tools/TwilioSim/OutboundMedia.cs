namespace Switchboard.TwilioSim;

/// <summary>The <c>media</c> object of an outbound message.</summary>
internal sealed record OutboundMedia(string? Payload);
