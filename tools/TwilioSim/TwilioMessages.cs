using System.Buffers;
using System.Text.Json;

namespace Switchboard.TwilioSim;

/// <summary>
/// Writes the messages Twilio sends on a Media Streams socket and parses the ones a server sends back.
/// Invariants (protocol notes §1): <c>connected</c> has no sequenceNumber or streamSid; <c>start</c> is
/// sequenceNumber "1"; every later message counts up by one; sequenceNumber, chunk and timestamp are STRINGS;
/// sampleRate and channels are NUMBERS. Parsing never throws: malformed input returns false.
/// </summary>
internal static class TwilioMessages
{
    /// <summary>The first frame of every stream.</summary>
    public static ReadOnlyMemory<byte> Connected { get; } = """{"event":"connected","protocol":"Call","version":"1.0.0"}"""u8.ToArray();

    /// <summary>Writes the <c>start</c> message (sequenceNumber "1", inbound track, μ-law 8000 Hz mono).</summary>
    public static void WriteStart(IBufferWriter<byte> output, CallIdentity identity, IReadOnlyDictionary<string, string> customParameters)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(customParameters);
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("event", "start");
        writer.WriteString("sequenceNumber", "1");
        writer.WriteStartObject("start");
        writer.WriteString("accountSid", identity.AccountSid);
        writer.WriteString("streamSid", identity.StreamSid);
        writer.WriteString("callSid", identity.CallSid);
        writer.WriteStartArray("tracks");
        writer.WriteStringValue("inbound");
        writer.WriteEndArray();
        writer.WriteStartObject("mediaFormat");
        writer.WriteString("encoding", "audio/x-mulaw");
        writer.WriteNumber("sampleRate", 8000);
        writer.WriteNumber("channels", 1);
        writer.WriteEndObject();
        writer.WriteStartObject("customParameters");
        foreach (var (name, value) in customParameters)
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteString("streamSid", identity.StreamSid);
        writer.WriteEndObject();
    }

    /// <summary>Writes the <c>stop</c> message.</summary>
    public static void WriteStop(IBufferWriter<byte> output, CallIdentity identity, long sequenceNumber)
    {
        ArgumentNullException.ThrowIfNull(identity);
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("event", "stop");
        WriteSequenceNumber(writer, sequenceNumber);
        writer.WriteStartObject("stop");
        writer.WriteString("accountSid", identity.AccountSid);
        writer.WriteString("callSid", identity.CallSid);
        writer.WriteEndObject();
        writer.WriteString("streamSid", identity.StreamSid);
        writer.WriteEndObject();
    }

    /// <summary>Writes a <c>mark</c> echo, as Twilio sends it once playback reaches the mark (or on <c>clear</c>).</summary>
    public static void WriteMarkEcho(IBufferWriter<byte> output, string streamSid, long sequenceNumber, string name)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("event", "mark");
        WriteSequenceNumber(writer, sequenceNumber);
        writer.WriteString("streamSid", streamSid);
        writer.WriteStartObject("mark");
        writer.WriteString("name", name);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Parses one server→Twilio text frame. Returns false for anything that is not a JSON object.</summary>
    public static bool TryParseOutbound(ReadOnlySpan<byte> utf8Json, out OutboundMessage? message)
    {
        try
        {
            message = JsonSerializer.Deserialize(utf8Json, TwilioJsonContext.Default.OutboundMessage);
            return message is not null;
        }
        catch (JsonException)
        {
            message = null;
            return false;
        }
    }

    private static void WriteSequenceNumber(Utf8JsonWriter writer, long sequenceNumber)
    {
        Span<byte> digits = stackalloc byte[20];
        if (!System.Buffers.Text.Utf8Formatter.TryFormat(sequenceNumber, digits, out int written))
        {
            throw new InvalidOperationException("Sequence number does not fit.");
        }

        writer.WriteString("sequenceNumber"u8, digits[..written]);
    }
}
