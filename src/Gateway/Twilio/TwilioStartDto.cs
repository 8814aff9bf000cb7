namespace Switchboard.Gateway.Twilio;

/// <summary>Wire shape of <c>start</c>'s body.</summary>
internal sealed class TwilioStartDto
{
    public string? StreamSid { get; set; }
    public string? AccountSid { get; set; }
    public string? CallSid { get; set; }
    public List<string>? Tracks { get; set; }
    public Dictionary<string, string>? CustomParameters { get; set; }
    public TwilioMediaFormatDto? MediaFormat { get; set; }
}
