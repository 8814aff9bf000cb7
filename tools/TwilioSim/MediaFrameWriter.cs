using System.Buffers.Text;
using System.Text;

namespace Switchboard.TwilioSim;

/// <summary>
/// Builds inbound <c>media</c> messages into one reused buffer per call, without allocating per frame:
/// the constant parts are pre-encoded, numbers are formatted in place and the payload is base64-encoded
/// straight into the buffer. The returned memory is valid until the next <see cref="Write"/>.
/// Field order follows Twilio's: event, sequenceNumber, media{track, chunk, timestamp, payload}, streamSid.
/// </summary>
internal sealed class MediaFrameWriter
{
    private static readonly byte[] s_prefix = "{\"event\":\"media\",\"sequenceNumber\":\""u8.ToArray();
    private static readonly byte[] s_afterSequence = "\",\"media\":{\"track\":\"inbound\",\"chunk\":\""u8.ToArray();
    private static readonly byte[] s_afterChunk = "\",\"timestamp\":\""u8.ToArray();
    private static readonly byte[] s_afterTimestamp = "\",\"payload\":\""u8.ToArray();

    private readonly byte[] _suffix;
    private readonly byte[] _buffer;

    /// <summary>Creates a writer for one stream; <paramref name="maxPayloadBytes"/> bounds the raw payload size.</summary>
    public MediaFrameWriter(string streamSid, int maxPayloadBytes = 160)
    {
        ArgumentNullException.ThrowIfNull(streamSid);
        _suffix = Encoding.UTF8.GetBytes("\"},\"streamSid\":\"" + streamSid + "\"}");
        _buffer = new byte[s_prefix.Length + s_afterSequence.Length + s_afterChunk.Length + s_afterTimestamp.Length
            + _suffix.Length + (3 * 20) + Base64.GetMaxEncodedToUtf8Length(maxPayloadBytes)];
    }

    /// <summary>Writes one frame; the payload must not exceed the size given at construction.</summary>
    public ReadOnlyMemory<byte> Write(long sequenceNumber, long chunk, long timestampMs, ReadOnlySpan<byte> payload)
    {
        Span<byte> span = _buffer;
        int position = 0;
        Append(span, ref position, s_prefix);
        AppendNumber(span, ref position, sequenceNumber);
        Append(span, ref position, s_afterSequence);
        AppendNumber(span, ref position, chunk);
        Append(span, ref position, s_afterChunk);
        AppendNumber(span, ref position, timestampMs);
        Append(span, ref position, s_afterTimestamp);
        var status = Base64.EncodeToUtf8(payload, span[position..], out _, out int written);
        if (status != System.Buffers.OperationStatus.Done)
        {
            throw new ArgumentException("Payload is larger than the writer was sized for.", nameof(payload));
        }

        position += written;
        Append(span, ref position, _suffix);
        return _buffer.AsMemory(0, position);
    }

    private static void Append(Span<byte> span, ref int position, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[position..]);
        position += bytes.Length;
    }

    private static void AppendNumber(Span<byte> span, ref int position, long value)
    {
        if (!Utf8Formatter.TryFormat(value, span[position..], out int written))
        {
            throw new InvalidOperationException("Number does not fit the frame buffer.");
        }

        position += written;
    }
}
