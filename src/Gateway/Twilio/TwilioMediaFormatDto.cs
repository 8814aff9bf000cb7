namespace Switchboard.Gateway.Twilio;

/// <summary>Wire shape of <c>start.mediaFormat</c>; sampleRate and channels are JSON numbers.</summary>
internal sealed class TwilioMediaFormatDto
{
    public string? Encoding { get; set; }
    public int? SampleRate { get; set; }
    public int? Channels { get; set; }
}
