namespace Switchboard.Gateway.Twilio;

/// <summary>Wire shape of every inbound message (one envelope, the event decides which member is present).</summary>
internal sealed class TwilioEnvelopeDto
{
    public string? Event { get; set; }
    public string? SequenceNumber { get; set; }
    public string? StreamSid { get; set; }
    public string? Protocol { get; set; }
    public string? Version { get; set; }
    public TwilioStartDto? Start { get; set; }
    public TwilioMediaDto? Media { get; set; }
    public TwilioDtmfDto? Dtmf { get; set; }
    public TwilioMarkDto? Mark { get; set; }
    public TwilioStopDto? Stop { get; set; }
}
