using System.Text.Json;
using Switchboard.Gateway.Twilio;
using Switchboard.Grains;

namespace Switchboard.Gateway.Tests.Twilio;

public class TwilioOutboundWriterTests
{
    private const string Sid = "MZ18ad3ab5a668481ce02b83e7395059f0";

    [Fact]
    public void Write_UnknownKind_Throws()
    {
        var writer = new TwilioOutboundWriter();

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(Sid, new OutboundFrame((OutboundKind)99, null, null)));
    }

    [Fact]
    public void Write_Media_HasDocumentedShape()
    {
        var writer = new TwilioOutboundWriter();
        byte[] audio = [0xFF, 0x7F, 0x00, 0x80, 0x01];

        using var doc = JsonDocument.Parse(writer.Write(Sid, new OutboundFrame(OutboundKind.Media, audio, null)));

        var root = doc.RootElement;
        Assert.Equal(["event", "streamSid", "media"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("media", root.GetProperty("event").GetString());
        Assert.Equal(Sid, root.GetProperty("streamSid").GetString());
        var media = root.GetProperty("media");
        Assert.Equal(["payload"], media.EnumerateObject().Select(p => p.Name));
        Assert.Equal(audio, Convert.FromBase64String(media.GetProperty("payload").GetString()!));
    }

    [Fact]
    public void Write_Mark_HasDocumentedShapeAndEscapesName()
    {
        var writer = new TwilioOutboundWriter();

        using var doc = JsonDocument.Parse(writer.Write(Sid, new OutboundFrame(OutboundKind.Mark, null, "utt-\"3\"")));

        var root = doc.RootElement;
        Assert.Equal(["event", "streamSid", "mark"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("mark", root.GetProperty("event").GetString());
        Assert.Equal("utt-\"3\"", root.GetProperty("mark").GetProperty("name").GetString());
    }

    [Fact]
    public void Write_Clear_HasDocumentedShape()
    {
        var writer = new TwilioOutboundWriter();

        using var doc = JsonDocument.Parse(writer.Write(Sid, new OutboundFrame(OutboundKind.Clear, null, null)));

        Assert.Equal(["event", "streamSid"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("clear", doc.RootElement.GetProperty("event").GetString());
        Assert.Equal(Sid, doc.RootElement.GetProperty("streamSid").GetString());
    }

    [Fact]
    public void Write_Reused_EachOutputStandsAlone()
    {
        var writer = new TwilioOutboundWriter();
        var first = writer.Write(Sid, new OutboundFrame(OutboundKind.Media, new byte[160], null)).ToArray();

        var second = writer.Write(Sid, new OutboundFrame(OutboundKind.Clear, null, null));

        Assert.Equal($$"""{"event":"clear","streamSid":"{{Sid}}"}""", System.Text.Encoding.UTF8.GetString(second.Span));
        using var doc = JsonDocument.Parse(first);
        Assert.Equal(160, Convert.FromBase64String(doc.RootElement.GetProperty("media").GetProperty("payload").GetString()!).Length);
    }
}
