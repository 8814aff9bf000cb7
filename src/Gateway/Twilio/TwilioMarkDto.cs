namespace Switchboard.Gateway.Twilio;

/// <summary>Wire shape of <c>mark</c>'s body.</summary>
internal sealed class TwilioMarkDto
{
    public string? Name { get; set; }
}
