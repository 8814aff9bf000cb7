using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Events;
using Serilog.Formatting;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// Writes one JSON object per log event with the fields operators asked for:
/// <c>timestamp</c>, <c>level</c>, <c>component</c>, <c>event</c>, <c>connectionId</c>, <c>message</c>, <c>data</c>
/// (all other structured properties) and <c>exception</c>. <c>event</c> is the [LoggerMessage] event name,
/// <c>component</c> is derived from the logger category, and <c>connectionId</c> is the stream's <c>ConnectionId</c>
/// (the Twilio streamSid) when the event has one.
/// </summary>
internal sealed class SwitchboardJsonFormatter : ITextFormatter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);

        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", logEvent.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("level", logEvent.Level.ToString());
            json.WriteString("component", ComponentOf(logEvent));
            json.WriteString("event", EventNameOf(logEvent));
            if (TryGetScalar(logEvent, "ConnectionId", out var connectionId))
            {
                json.WriteString("connectionId", connectionId?.ToString());
            }
            else
            {
                json.WriteNull("connectionId");
            }

            json.WriteString("message", logEvent.RenderMessage(CultureInfo.InvariantCulture));
            json.WriteStartObject("data");
            foreach (var (name, value) in logEvent.Properties)
            {
                if (name is "SourceContext" or "EventId" or "ConnectionId")
                {
                    continue;
                }

                json.WritePropertyName(name);
                WriteValue(json, value);
            }

            json.WriteEndObject();
            if (logEvent.Exception is not null)
            {
                json.WriteString("exception", logEvent.Exception.ToString());
            }

            json.WriteEndObject();
        }

        output.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        output.Write('\n');
    }

    /// <summary>Maps the logger category to the component names of the design (websocket, gateway, silo, runtime, grain).</summary>
    internal static string ComponentOf(LogEvent logEvent)
    {
        if (!TryGetScalar(logEvent, "SourceContext", out var value) || value is not string category)
        {
            return "app";
        }

        return category switch
        {
            _ when category.StartsWith("Switchboard.Gateway.MediaStreams", StringComparison.Ordinal) => "websocket",
            _ when category.StartsWith("Switchboard.Gateway", StringComparison.Ordinal) => "gateway",
            _ when category.StartsWith("Switchboard.Runtime", StringComparison.Ordinal) => "runtime",
            _ when category.StartsWith("Orleans", StringComparison.Ordinal) => "runtime",
            _ when category.StartsWith("Switchboard.Grains", StringComparison.Ordinal) => "grain",
            _ when category.StartsWith("Switchboard.Silo", StringComparison.Ordinal) => "silo",
            _ when category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) => "http",
            _ when category.StartsWith("Microsoft.Hosting", StringComparison.Ordinal) => "host",
            _ => category,
        };
    }

    private static string EventNameOf(LogEvent logEvent)
    {
        if (logEvent.Properties.TryGetValue("EventId", out var eventId) && eventId is StructureValue structure)
        {
            var name = structure.Properties.FirstOrDefault(p => p.Name == "Name")?.Value as ScalarValue;
            if (name?.Value is string text && text.Length > 0)
            {
                return text;
            }

            var id = structure.Properties.FirstOrDefault(p => p.Name == "Id")?.Value as ScalarValue;
            if (id?.Value is not null)
            {
                return Convert.ToString(id.Value, CultureInfo.InvariantCulture) ?? "log";
            }
        }

        return "log";
    }

    private static bool TryGetScalar(LogEvent logEvent, string name, out object? value)
    {
        if (logEvent.Properties.TryGetValue(name, out var property) && property is ScalarValue scalar)
        {
            value = scalar.Value;
            return true;
        }

        value = null;
        return false;
    }

    private static void WriteValue(Utf8JsonWriter json, LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: null }:
                json.WriteNullValue();
                break;
            case ScalarValue { Value: bool b }:
                json.WriteBooleanValue(b);
                break;
            case ScalarValue { Value: int or long or short or byte or uint or ulong or ushort or sbyte } scalar:
                json.WriteNumberValue(Convert.ToDecimal(scalar.Value, CultureInfo.InvariantCulture));
                break;
            case ScalarValue { Value: double d } when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case ScalarValue { Value: float f } when float.IsFinite(f):
                json.WriteNumberValue(f);
                break;
            case ScalarValue { Value: decimal m }:
                json.WriteNumberValue(m);
                break;
            case ScalarValue scalar:
                json.WriteStringValue(Convert.ToString(scalar.Value, CultureInfo.InvariantCulture));
                break;
            case SequenceValue sequence:
                json.WriteStartArray();
                foreach (var element in sequence.Elements)
                {
                    WriteValue(json, element);
                }

                json.WriteEndArray();
                break;
            case StructureValue structure:
                json.WriteStartObject();
                foreach (var property in structure.Properties)
                {
                    json.WritePropertyName(property.Name);
                    WriteValue(json, property.Value);
                }

                json.WriteEndObject();
                break;
            case DictionaryValue dictionary:
                json.WriteStartObject();
                foreach (var (key, element) in dictionary.Elements)
                {
                    json.WritePropertyName(Convert.ToString(key.Value, CultureInfo.InvariantCulture) ?? string.Empty);
                    WriteValue(json, element);
                }

                json.WriteEndObject();
                break;
            default:
                json.WriteStringValue(value.ToString());
                break;
        }
    }
}
