namespace Switchboard.Gateway.Twilio;

/// <summary>Wire shape of <c>media</c>'s body; chunk and timestamp are strings.</summary>
internal sealed class TwilioMediaDto
{
    public string? Track { get; set; }
    public string? Chunk { get; set; }
    public string? Timestamp { get; set; }
    public string? Payload { get; set; }
}
