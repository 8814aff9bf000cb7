namespace Switchboard.TwilioSim;

/// <summary>The <c>mark</c> object of an outbound or echoed mark message.</summary>
internal sealed record OutboundMark(string? Name);
