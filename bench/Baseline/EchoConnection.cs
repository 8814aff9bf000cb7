using System.Buffers;
using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text.Json;

namespace Switchboard.Bench.Baseline;

/// <summary>
/// One Twilio Media Streams socket with the same echo behaviour as Switchboard's Echo application, so the
/// simulator's loss and ordering accounting is identical: inbound-track audio accumulates until at least
/// <see cref="ChunkBytes"/> bytes, then goes out as one <c>media</c> message followed by a <c>mark</c>
/// <c>echo-&lt;n&gt;</c> (n from 1); on <c>stop</c> the remainder is flushed (with its mark) and the server closes
/// with 1000. Every message is parsed (Utf8JsonReader, no DOM); unknown events are ignored.
/// Invariants: one receive loop per socket, which also does every send, so sends never overlap and the echo
/// preserves order. Failures (abort, malformed JSON) end only this socket, never the process.
/// </summary>
internal sealed class EchoConnection(WebSocket socket)
{
    /// <summary>50 ms of 8 kHz μ-law, as Switchboard's Echo application.</summary>
    public const int ChunkBytes = 400;

    private const int MaxMessageBytes = 1024 * 1024;
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(5);

    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private byte[] _receive = new byte[16 * 1024];
    private byte[] _audio = new byte[ChunkBytes * 4];
    private int _length;
    private int _marks;
    private string? _streamSid;

    /// <summary>Runs until the peer closes, <c>stop</c> arrives, or the socket fails.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            int count = 0;
            while (true)
            {
                if (count == _receive.Length)
                {
                    if (_receive.Length >= MaxMessageBytes)
                    {
                        await CloseAsync(WebSocketCloseStatus.MessageTooBig, cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    Array.Resize(ref _receive, _receive.Length * 2);
                }

                var result = await socket.ReceiveAsync(_receive.AsMemory(count), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                    }

                    return;
                }

                count += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                bool stop = await HandleAsync(_receive.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                count = 0;
                if (stop)
                {
                    await CloseAsync(WebSocketCloseStatus.NormalClosure, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or JsonException)
        {
            // The peer went away or sent garbage: this socket ends, the server goes on.
            socket.Abort();
        }
    }

    private async ValueTask<bool> HandleAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var (kind, decoded) = Parse(json.Span);
        switch (kind)
        {
            case "media":
                _length += decoded;
                if (_length >= ChunkBytes)
                {
                    await FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                return false;

            case "stop":
                if (_length > 0)
                {
                    await FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                return true;

            default:
                return false;
        }
    }

    /// <summary>
    /// Reads the event name and the top-level streamSid; for inbound <c>media</c>, base64-decodes the payload straight
    /// behind the pending audio and returns how many bytes to keep (0 for other tracks).
    /// </summary>
    private (string? Kind, int Decoded) Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        string? kind = null;
        bool inbound = false;
        int decoded = 0;
        string? section = null;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.CurrentDepth == 1)
            {
                section = null;
                if (reader.ValueTextEquals("event"u8))
                {
                    reader.Read();
                    kind = reader.ValueTextEquals("media"u8) ? "media" : reader.ValueTextEquals("stop"u8) ? "stop" : reader.GetString();
                }
                else if (reader.ValueTextEquals("streamSid"u8))
                {
                    reader.Read();
                    if (_streamSid is null || !reader.ValueTextEquals(_streamSid))
                    {
                        _streamSid = reader.GetString();
                    }
                }
                else if (reader.ValueTextEquals("media"u8))
                {
                    section = "media";
                }
            }
            else if (reader.CurrentDepth == 2 && section == "media")
            {
                if (reader.ValueTextEquals("track"u8))
                {
                    reader.Read();
                    inbound = reader.ValueTextEquals("inbound"u8);
                }
                else if (reader.ValueTextEquals("payload"u8))
                {
                    reader.Read();
                    decoded = Decode(ref reader);
                }
            }
        }

        return (kind, kind == "media" && inbound ? decoded : 0);
    }

    private int Decode(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> base64 = reader.ValueSpan;
        byte[]? unescaped = null;
        if (reader.ValueIsEscaped)
        {
            unescaped = new byte[reader.ValueSpan.Length];
            int copied = reader.CopyString(unescaped);
            base64 = unescaped.AsSpan(0, copied);
        }

        int needed = _length + Base64.GetMaxDecodedFromUtf8Length(base64.Length);
        if (needed > _audio.Length)
        {
            Array.Resize(ref _audio, Math.Max(needed, _audio.Length * 2));
        }

        var status = Base64.DecodeFromUtf8(base64, _audio.AsSpan(_length), out _, out int written);
        if (status != OperationStatus.Done)
        {
            throw new JsonException("media.payload is not base64");
        }

        return written;
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        string streamSid = _streamSid ?? string.Empty;
        _marks++;
        await SendAsync(WriteMedia(streamSid), cancellationToken).ConfigureAwait(false);
        await SendAsync(WriteMark(streamSid, _marks), cancellationToken).ConfigureAwait(false);
        _length = 0;
    }

    private ReadOnlyMemory<byte> WriteMedia(string streamSid)
    {
        _output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_output);
        writer.WriteStartObject();
        writer.WriteString("event"u8, "media"u8);
        writer.WriteString("streamSid"u8, streamSid);
        writer.WriteStartObject("media"u8);
        writer.WriteBase64String("payload"u8, _audio.AsSpan(0, _length));
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        return _output.WrittenMemory;
    }

    private ReadOnlyMemory<byte> WriteMark(string streamSid, int mark)
    {
        _output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_output);
        Span<byte> name = stackalloc byte[32];
        "echo-"u8.CopyTo(name);
        Utf8Formatter.TryFormat(mark, name[5..], out int digits);
        writer.WriteStartObject();
        writer.WriteString("event"u8, "mark"u8);
        writer.WriteString("streamSid"u8, streamSid);
        writer.WriteStartObject("mark"u8);
        writer.WriteString("name"u8, name[..(5 + digits)]);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        return _output.WrittenMemory;
    }

    private ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        socket.SendAsync(message, WebSocketMessageType.Text, true, cancellationToken);

    private async Task CloseAsync(WebSocketCloseStatus status, CancellationToken cancellationToken)
    {
        // Full handshake: our close frame, then wait (bounded) for the peer's.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_closeTimeout);
        await socket.CloseAsync(status, status == WebSocketCloseStatus.NormalClosure ? "stop" : "message too big", timeout.Token).ConfigureAwait(false);
    }
}
