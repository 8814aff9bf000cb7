using System.Xml.Linq;
using Switchboard.Gateway.Twilio;

namespace Switchboard.Gateway.Tests.Twilio;

public class TwimlResponseBuilderTests
{
    [Fact]
    public void ConnectStream_HostileValues_AreEscaped()
    {
        var twiml = TwimlResponseBuilder.ConnectStream(
            "wss://voice.example.com/twilio/media-stream",
            [new("from", "\"><Hangup/><x a=\"&'"), new("to", "+1555<>")]);

        Assert.DoesNotContain("<Hangup/>", twiml, StringComparison.Ordinal);
        var doc = XDocument.Parse(twiml);
        var parameters = doc.Root!.Element("Connect")!.Element("Stream")!.Elements("Parameter").ToList();
        Assert.Equal("\"><Hangup/><x a=\"&'", parameters[0].Attribute("value")!.Value);
        Assert.Equal("+1555<>", parameters[1].Attribute("value")!.Value);
    }

    [Fact]
    public void ConnectStream_Parameters_ProduceDocumentedShape()
    {
        var twiml = TwimlResponseBuilder.ConnectStream(
            "wss://voice.example.com/twilio/media-stream",
            [new("callSid", "CA1"), new("from", "+15551230001")]);

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Connect><Stream url=\"wss://voice.example.com/twilio/media-stream\">", twiml, StringComparison.Ordinal);
        var stream = XDocument.Parse(twiml).Root!.Element("Connect")!.Element("Stream")!;
        Assert.Equal(
            [("callSid", "CA1"), ("from", "+15551230001")],
            stream.Elements("Parameter").Select(p => (p.Attribute("name")!.Value, p.Attribute("value")!.Value)));
    }
}
