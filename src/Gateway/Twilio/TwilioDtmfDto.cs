namespace Switchboard.Gateway.Twilio;

/// <summary>Wire shape of <c>dtmf</c>'s body.</summary>
internal sealed class TwilioDtmfDto
{
    public string? Track { get; set; }
    public string? Digit { get; set; }
}
