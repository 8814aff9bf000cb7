using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Messaging;

namespace Switchboard.Runtime.Networking;

/// <summary>
/// Wire format of the cluster transport.
/// <para>Frame: <c>uint32 little-endian length</c> of what follows, then <c>1 byte</c> <see cref="FrameType"/>, then the
/// payload. Integers inside payloads are LEB128 varints (signed ones zig-zag encoded); strings are a varint
/// (UTF-8 byte count + 1, 0 meaning null) followed by the bytes.</para>
/// <list type="bullet">
/// <item>Hello: magic <c>SWBD</c>, varint protocol version, then (version 1) cluster id, node id, 1 byte is-client.
/// Magic and version come first and never change layout, so any future version can be refused by name.</item>
/// <item>HelloAccept: node id. HelloRefuse: reason.</item>
/// <item>Message: kind, status, flags (1 byte each), request id, interface id, method id, forward count, target type,
/// target key, sender id, destination (nullable), body length, body bytes. The body must end exactly at the frame end.</item>
/// <item>Ping / Pong: 8-byte little-endian id, nothing else.</item>
/// </list>
/// Invariants and failure modes: decoding never reads past the frame and never allocates more than the frame holds
/// (every length is checked against the bytes left before a buffer is created), and the length prefix is checked
/// against the limit before waiting for the frame, so a hostile length cannot make us buffer more than the limit.
/// Every malformed input (truncated fields, overlong varints, bad enum values, invalid UTF-8, trailing bytes, unknown
/// frame types) ends in <see cref="ProtocolException"/> and nothing else. An incomplete frame is not an error:
/// <see cref="TryRead"/> returns false and leaves the buffer untouched until more bytes arrive.
/// Writers do not validate sizes: senders check <see cref="CanEncode"/> first, so one oversized message is refused
/// at the sender instead of killing the connection (and every call sharing it) at the receiver.
/// </summary>
internal static class MessageFrameCodec
{
    /// <summary>Bytes of the length prefix.</summary>
    public const int LengthPrefixBytes = 4;

    /// <summary>The protocol version this build speaks.</summary>
    public const int ProtocolVersion = 1;

    private const int PingPayloadBytes = 8;

    // Varints per message: request id, interface id, method id, forward count, body length, 4 string prefixes.
    private const int MaxMessageOverheadBytes = 1 + 3 + (9 * 10);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The 4 bytes every hello starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "SWBD"u8;

    /// <summary>
    /// True when <paramref name="message"/> can be sent: its frame fits within <paramref name="maxFrameBytes"/> and the
    /// fields the receiver requires (target type and key, sender id) are present. Cheap for the common case: exact
    /// UTF-8 sizes are only computed when a 3-bytes-per-char upper bound does not already fit.
    /// </summary>
    public static bool CanEncode(Message message, int maxFrameBytes)
    {
        var target = message.Target;
        if (target.Type is null || target.Key is null || message.SenderId is null)
        {
            return false;
        }

        var chars = (long)target.Type.Length + target.Key.Length + message.SenderId.Length + (message.Destination?.Length ?? 0);
        var upperBound = MaxMessageOverheadBytes + (chars * 3) + message.Body.Length;
        return upperBound <= maxFrameBytes || GetMessageFrameLength(message) - LengthPrefixBytes <= maxFrameBytes;
    }

    /// <summary>Exact size on the wire of the message frame, including the length prefix.</summary>
    public static long GetMessageFrameLength(Message message)
    {
        var bodyLength = message.Body.Length;
        var header = MessageHeaderLength(
            message, ByteCount(message.Target.Type), ByteCount(message.Target.Key), ByteCount(message.SenderId), ByteCount(message.Destination), bodyLength);
        return LengthPrefixBytes + 1L + header + bodyLength;
    }

    /// <summary>Writes a message frame: the header fields straight into the writer's span, then the body.</summary>
    public static void WriteMessage(IBufferWriter<byte> writer, Message message)
    {
        var typeBytes = ByteCount(message.Target.Type);
        var keyBytes = ByteCount(message.Target.Key);
        var senderBytes = ByteCount(message.SenderId);
        var destinationBytes = ByteCount(message.Destination);
        var body = message.Body.Span;
        var header = MessageHeaderLength(message, typeBytes, keyBytes, senderBytes, destinationBytes, body.Length);
        var frameLength = 1L + header + body.Length;
        if (frameLength > int.MaxValue)
        {
            throw new ArgumentException($"Message frame of {frameLength} bytes cannot be encoded.", nameof(message));
        }

        var span = writer.GetSpan(LengthPrefixBytes + 1 + header);
        BinaryPrimitives.WriteInt32LittleEndian(span, (int)frameLength);
        span[4] = (byte)FrameType.Message;
        var position = LengthPrefixBytes + 1;
        span[position++] = (byte)message.Kind;
        span[position++] = (byte)message.Status;
        span[position++] = (byte)message.Flags;
        position += WriteVarUInt64(span[position..], ZigZag(message.RequestId));
        position += WriteVarUInt64(span[position..], message.InterfaceId);
        position += WriteVarUInt64(span[position..], message.MethodId);
        position += WriteVarUInt64(span[position..], ZigZag(message.ForwardCount));
        position += WriteString(span[position..], message.Target.Type, typeBytes);
        position += WriteString(span[position..], message.Target.Key, keyBytes);
        position += WriteString(span[position..], message.SenderId, senderBytes);
        position += WriteString(span[position..], message.Destination, destinationBytes);
        position += WriteVarUInt64(span[position..], (ulong)body.Length);
        writer.Advance(position);
        if (!body.IsEmpty)
        {
            writer.Write(body);
        }
    }

    /// <summary>Writes a hello frame.</summary>
    public static void WriteHello(IBufferWriter<byte> writer, HelloFrame hello)
    {
        var clusterBytes = ByteCount(hello.ClusterId);
        var nodeBytes = ByteCount(hello.NodeId);
        var payload = Magic.Length + VarUInt64Size((uint)hello.ProtocolVersion)
            + StringSize(clusterBytes) + StringSize(nodeBytes) + 1;
        var span = BeginFrame(writer, FrameType.Hello, payload);
        Magic.CopyTo(span);
        var position = Magic.Length;
        position += WriteVarUInt64(span[position..], (uint)hello.ProtocolVersion);
        position += WriteString(span[position..], hello.ClusterId, clusterBytes);
        position += WriteString(span[position..], hello.NodeId, nodeBytes);
        span[position++] = hello.IsClient ? (byte)1 : (byte)0;
        writer.Advance(LengthPrefixBytes + 1 + position);
    }

    /// <summary>Writes a <see cref="FrameType.HelloAccept"/> (node id) or <see cref="FrameType.HelloRefuse"/> (reason) frame.</summary>
    public static void WriteText(IBufferWriter<byte> writer, FrameType type, string text)
    {
        if (type is not (FrameType.HelloAccept or FrameType.HelloRefuse))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Only accept and refuse frames carry text.");
        }

        var textBytes = ByteCount(text);
        var span = BeginFrame(writer, type, StringSize(textBytes));
        var position = WriteString(span, text, textBytes);
        writer.Advance(LengthPrefixBytes + 1 + position);
    }

    /// <summary>Writes a <see cref="FrameType.Ping"/>, <see cref="FrameType.Pong"/>, <see cref="FrameType.GoAway"/> or
    /// <see cref="FrameType.GoAwayAck"/> frame.</summary>
    public static void WritePing(IBufferWriter<byte> writer, FrameType type, long id)
    {
        if (type is not (FrameType.Ping or FrameType.Pong or FrameType.GoAway or FrameType.GoAwayAck))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Only ping, pong, go-away and go-away-ack frames carry an id.");
        }

        var span = BeginFrame(writer, type, PingPayloadBytes);
        BinaryPrimitives.WriteInt64LittleEndian(span, id);
        writer.Advance(LengthPrefixBytes + 1 + PingPayloadBytes);
    }

    /// <summary>
    /// Reads one frame from the start of <paramref name="buffer"/>. Returns false, leaving the buffer as it was, when
    /// the frame is not complete yet; on success slices the frame off the buffer.
    /// </summary>
    /// <param name="buffer">Received bytes.</param>
    /// <param name="frame">The decoded frame.</param>
    /// <param name="maxFrameBytes">Largest accepted frame (type byte + payload).</param>
    /// <param name="strings">Optional cache for node ids and grain types, which repeat on almost every frame (one per reader).</param>
    /// <param name="keys">Optional cache for grain keys (one per reader).</param>
    /// <exception cref="ProtocolException">The bytes are malformed or the frame is too large.</exception>
    public static bool TryRead(
        ref ReadOnlySequence<byte> buffer,
        out Frame frame,
        int maxFrameBytes = NetworkingOptions.DefaultMaxFrameBytes,
        Utf8StringCache? strings = null,
        Utf8StringCache? keys = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 1);
        frame = default;
        if (buffer.Length < LengthPrefixBytes)
        {
            return false;
        }

        uint length;
        var first = buffer.FirstSpan;
        if (first.Length >= LengthPrefixBytes)
        {
            length = BinaryPrimitives.ReadUInt32LittleEndian(first);
        }
        else
        {
            Span<byte> prefix = stackalloc byte[LengthPrefixBytes];
            buffer.Slice(0, LengthPrefixBytes).CopyTo(prefix);
            length = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        }

        if (length == 0)
        {
            throw new ProtocolException("Frame of length 0: every frame has at least a type byte.");
        }

        if (length > (uint)maxFrameBytes)
        {
            throw new ProtocolException($"Frame of {length} bytes exceeds the limit of {maxFrameBytes} bytes.");
        }

        if (buffer.Length - LengthPrefixBytes < length)
        {
            return false;
        }

        var content = buffer.Slice(LengthPrefixBytes, length);
        frame = content.IsSingleSegment ? Decode(content.FirstSpan, strings, keys) : DecodeCopy(content, strings, keys);
        buffer = buffer.Slice(content.End);
        return true;
    }

    /// <summary>Strict UTF-8 decoding: invalid bytes are a protocol error, not replacement characters.</summary>
    public static string DecodeUtf8(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException ex)
        {
            throw new ProtocolException("Invalid UTF-8 in a string field.", ex);
        }
    }

    private static Frame DecodeCopy(ReadOnlySequence<byte> content, Utf8StringCache? strings, Utf8StringCache? keys)
    {
        // Only frames split across pipe segments take this path; the length was checked against the limit already.
        var length = (int)content.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            content.CopyTo(rented);
            return Decode(rented.AsSpan(0, length), strings, keys);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static Frame Decode(ReadOnlySpan<byte> content, Utf8StringCache? strings, Utf8StringCache? keys)
    {
        var payload = content[1..];
        return (FrameType)content[0] switch
        {
            FrameType.Message => Frame.ForMessage(DecodeMessage(payload, strings, keys)),
            FrameType.Hello => Frame.ForHello(DecodeHello(payload)),
            FrameType.HelloAccept => Frame.ForText(FrameType.HelloAccept, DecodeText(payload, "node id")),
            FrameType.HelloRefuse => Frame.ForText(FrameType.HelloRefuse, DecodeText(payload, "refusal reason")),
            FrameType.Ping => Frame.ForPing(FrameType.Ping, DecodePingId(payload)),
            FrameType.Pong => Frame.ForPing(FrameType.Pong, DecodePingId(payload)),
            FrameType.GoAway => Frame.ForPing(FrameType.GoAway, DecodePingId(payload)),
            FrameType.GoAwayAck => Frame.ForPing(FrameType.GoAwayAck, DecodePingId(payload)),
            var unknown => throw new ProtocolException($"Unknown frame type {(byte)unknown}."),
        };
    }

    private static Message DecodeMessage(ReadOnlySpan<byte> payload, Utf8StringCache? strings, Utf8StringCache? keys)
    {
        var reader = new PayloadReader(payload);
        var kind = (MessageKind)reader.ReadByte();
        if (kind is not (MessageKind.Request or MessageKind.Response or MessageKind.OneWay))
        {
            throw new ProtocolException($"Unknown message kind {(byte)kind}.");
        }

        var status = (ResponseStatus)reader.ReadByte();
        if (status is not (ResponseStatus.Ok or ResponseStatus.Exception or ResponseStatus.Rejected))
        {
            throw new ProtocolException($"Unknown response status {(byte)status}.");
        }

        var flags = (InvocationFlags)reader.ReadByte();
        var requestId = UnZigZag(reader.ReadVarUInt64());
        var interfaceId = reader.ReadVarUInt32("interface id");
        var methodId = reader.ReadVarUInt64();
        if (methodId > ushort.MaxValue)
        {
            throw new ProtocolException($"Method id {methodId} does not fit 16 bits.");
        }

        var forwardCount = UnZigZag(reader.ReadVarUInt64());
        if (forwardCount is < 0 or > int.MaxValue)
        {
            throw new ProtocolException($"Forward count {forwardCount} is out of range.");
        }

        var type = reader.ReadString(strings) ?? throw new ProtocolException("Message without a target grain type.");
        var key = reader.ReadString(keys) ?? throw new ProtocolException("Message without a target key.");
        var sender = reader.ReadString(strings) ?? throw new ProtocolException("Message without a sender id.");
        var destination = reader.ReadString(strings);
        var bodyLength = reader.ReadVarUInt64();
        if (bodyLength != (ulong)reader.Remaining)
        {
            throw new ProtocolException($"Message body of {bodyLength} bytes declared but {reader.Remaining} bytes left in the frame.");
        }

        var body = bodyLength == 0 ? [] : reader.ReadRaw((int)bodyLength).ToArray();
        return new Message
        {
            Kind = kind,
            RequestId = requestId,
            Target = new GrainId(type, key),
            InterfaceId = interfaceId,
            MethodId = (ushort)methodId,
            Flags = flags,
            Body = body,
            Status = status,
            SenderId = sender,
            ForwardCount = (int)forwardCount,
            Destination = destination,
        };
    }

    private static HelloFrame DecodeHello(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        if (!reader.ReadRaw(Magic.Length).SequenceEqual(Magic))
        {
            throw new ProtocolException("Hello without the SWBD magic: the peer does not speak this protocol.");
        }

        var version = reader.ReadVarUInt64();
        if (version != ProtocolVersion)
        {
            // Another version may lay out the rest differently: report the version alone and let the handshake refuse it.
            return new HelloFrame((int)Math.Min(version, int.MaxValue), string.Empty, string.Empty, IsClient: false);
        }

        var clusterId = reader.ReadString(null) ?? throw new ProtocolException("Hello without a cluster id.");
        var nodeId = reader.ReadString(null) ?? throw new ProtocolException("Hello without a node id.");
        var isClient = reader.ReadByte() switch
        {
            0 => false,
            1 => true,
            var other => throw new ProtocolException($"Invalid client flag {other} in hello."),
        };
        reader.EnsureEnd("hello");
        return new HelloFrame(ProtocolVersion, clusterId, nodeId, isClient);
    }

    private static string DecodeText(ReadOnlySpan<byte> payload, string what)
    {
        var reader = new PayloadReader(payload);
        var text = reader.ReadString(null) ?? throw new ProtocolException($"Handshake frame without a {what}.");
        reader.EnsureEnd(what);
        return text;
    }

    private static long DecodePingId(ReadOnlySpan<byte> payload)
        => payload.Length == PingPayloadBytes
            ? BinaryPrimitives.ReadInt64LittleEndian(payload)
            : throw new ProtocolException($"Ping or pong payload of {payload.Length} bytes; expected {PingPayloadBytes}.");

    private static Span<byte> BeginFrame(IBufferWriter<byte> writer, FrameType type, int payloadLength)
    {
        var span = writer.GetSpan(LengthPrefixBytes + 1 + payloadLength);
        BinaryPrimitives.WriteInt32LittleEndian(span, 1 + payloadLength);
        span[LengthPrefixBytes] = (byte)type;
        return span.Slice(LengthPrefixBytes + 1, payloadLength);
    }

    private static int MessageHeaderLength(Message message, int typeBytes, int keyBytes, int senderBytes, int destinationBytes, int bodyLength)
        => 3
            + VarUInt64Size(ZigZag(message.RequestId))
            + VarUInt64Size(message.InterfaceId)
            + VarUInt64Size(message.MethodId)
            + VarUInt64Size(ZigZag(message.ForwardCount))
            + StringSize(typeBytes)
            + StringSize(keyBytes)
            + StringSize(senderBytes)
            + StringSize(destinationBytes)
            + VarUInt64Size((ulong)bodyLength);

    /// <summary>UTF-8 byte count, or -1 for null.</summary>
    private static int ByteCount(string? value) => value is null ? -1 : Encoding.UTF8.GetByteCount(value);

    private static int StringSize(int byteCount) => byteCount < 0 ? 1 : VarUInt64Size((ulong)byteCount + 1) + byteCount;

    private static int WriteString(Span<byte> span, string? value, int byteCount)
    {
        if (value is null)
        {
            span[0] = 0;
            return 1;
        }

        var position = WriteVarUInt64(span, (ulong)byteCount + 1);
        return position + Encoding.UTF8.GetBytes(value, span[position..]);
    }

    private static int VarUInt64Size(ulong value) => (BitOperations.Log2(value | 1) / 7) + 1;

    private static int WriteVarUInt64(Span<byte> span, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        return i;
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong raw) => (long)(raw >> 1) ^ -(long)(raw & 1);

    /// <summary>Bounds-checked cursor over one frame's payload; every failure is a <see cref="ProtocolException"/>.</summary>
    private ref struct PayloadReader
    {
        private readonly ReadOnlySpan<byte> _span;
        private int _position;

        public PayloadReader(ReadOnlySpan<byte> span)
        {
            _span = span;
            _position = 0;
        }

        public readonly int Remaining => _span.Length - _position;

        public byte ReadByte()
            => _position < _span.Length
                ? _span[_position++]
                : throw new ProtocolException($"Frame truncated at payload offset {_position}.");

        public ulong ReadVarUInt64()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = ReadByte();
                if (shift == 63 && b > 1)
                {
                    throw new ProtocolException($"Varint overflows 64 bits at payload offset {_position - 1}.");
                }

                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw new ProtocolException($"Varint longer than 10 bytes at payload offset {_position}.");
        }

        public uint ReadVarUInt32(string what)
        {
            var value = ReadVarUInt64();
            return value <= uint.MaxValue ? (uint)value : throw new ProtocolException($"{what} {value} does not fit 32 bits.");
        }

        public ReadOnlySpan<byte> ReadRaw(int count)
        {
            if (count < 0 || count > Remaining)
            {
                throw new ProtocolException($"Field of {count} bytes at payload offset {_position} runs past the frame end ({_span.Length} bytes).");
            }

            var span = _span.Slice(_position, count);
            _position += count;
            return span;
        }

        public string? ReadString(Utf8StringCache? cache)
        {
            var prefix = ReadVarUInt64();
            if (prefix == 0)
            {
                return null;
            }

            var length = prefix - 1;
            if (length > (ulong)Remaining)
            {
                throw new ProtocolException($"String of {length} bytes at payload offset {_position} runs past the frame end ({_span.Length} bytes).");
            }

            var bytes = ReadRaw((int)length);
            return cache is null ? DecodeUtf8(bytes) : cache.GetString(bytes);
        }

        public readonly void EnsureEnd(string what)
        {
            if (Remaining != 0)
            {
                throw new ProtocolException($"{Remaining} unexpected bytes after the {what}.");
            }
        }
    }
}
