using System.Text;
using System.Xml;

namespace Switchboard.Gateway.Twilio;

/// <summary>
/// Builds the voice webhook's answer: <c>&lt;Connect&gt;&lt;Stream url="wss://…"&gt;</c> with one <c>&lt;Parameter&gt;</c>
/// per value. Values travel as Parameters, never in the stream URL's query (Twilio strips query strings there).
/// <see cref="XmlWriter"/> does the escaping, so caller-controlled values (From, To) cannot break the document.
/// </summary>
internal static class TwimlResponseBuilder
{
    public static string ConnectStream(string streamUrl, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var builder = new StringBuilder(256);
        var settings = new XmlWriterSettings { Encoding = Encoding.UTF8, OmitXmlDeclaration = true, Indent = false };
        builder.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        using (var writer = XmlWriter.Create(builder, settings))
        {
            writer.WriteStartElement("Response");
            writer.WriteStartElement("Connect");
            writer.WriteStartElement("Stream");
            writer.WriteAttributeString("url", streamUrl);
            foreach (var (name, value) in parameters)
            {
                writer.WriteStartElement("Parameter");
                writer.WriteAttributeString("name", name);
                writer.WriteAttributeString("value", value);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return builder.ToString();
    }
}
