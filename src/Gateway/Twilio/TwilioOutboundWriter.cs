using System.Buffers;
using System.Text.Json;
using Switchboard.Grains;

namespace Switchboard.Gateway.Twilio;

/// <summary>
/// Writes the three messages we send to Twilio (<c>media</c>, <c>mark</c>, <c>clear</c>) into one reusable buffer
/// with <see cref="Utf8JsonWriter"/>: no JSON DOM and no per-frame buffer allocation. Not thread-safe: one writer
/// per socket, used only by that socket's single send loop. The returned memory is valid until the next call.
/// </summary>
internal sealed class TwilioOutboundWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public TwilioOutboundWriter()
    {
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    public ReadOnlyMemory<byte> Write(string streamSid, OutboundFrame frame) => frame.Kind switch
    {
        OutboundKind.Media => WriteMedia(streamSid, frame.Payload ?? []),
        OutboundKind.Mark => WriteMark(streamSid, frame.MarkName ?? string.Empty),
        OutboundKind.Clear => WriteClear(streamSid),
        _ => throw new ArgumentOutOfRangeException(nameof(frame), frame.Kind, "Unknown outbound frame kind."),
    };

    public ReadOnlyMemory<byte> WriteMedia(string streamSid, ReadOnlySpan<byte> mulaw)
    {
        Begin("media", streamSid);
        _writer.WriteStartObject("media"u8);
        _writer.WriteBase64String("payload"u8, mulaw);
        _writer.WriteEndObject();
        return End();
    }

    public ReadOnlyMemory<byte> WriteMark(string streamSid, string name)
    {
        Begin("mark", streamSid);
        _writer.WriteStartObject("mark"u8);
        _writer.WriteString("name"u8, name);
        _writer.WriteEndObject();
        return End();
    }

    public ReadOnlyMemory<byte> WriteClear(string streamSid)
    {
        Begin("clear", streamSid);
        return End();
    }

    private void Begin(string eventName, string streamSid)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteString("event"u8, eventName);
        _writer.WriteString("streamSid"u8, streamSid);
    }

    private ReadOnlyMemory<byte> End()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenMemory;
    }
}
