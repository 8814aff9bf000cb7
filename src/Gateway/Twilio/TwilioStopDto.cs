namespace Switchboard.Gateway.Twilio;

/// <summary>Wire shape of <c>stop</c>'s body.</summary>
internal sealed class TwilioStopDto
{
    public string? AccountSid { get; set; }
    public string? CallSid { get; set; }
}
