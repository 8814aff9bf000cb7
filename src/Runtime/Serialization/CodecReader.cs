using System.Buffers.Binary;
using System.Text;

namespace Switchboard.Runtime.Serialization;

/// <summary>
/// Reader of the format written by <see cref="CodecWriter"/> over one contiguous buffer. Every malformed input
/// (truncation, overlong varints, lengths past the end, invalid UTF-8) raises <see cref="CodecException"/>.
/// </summary>
public sealed class CodecReader
{
    private readonly ReadOnlyMemory<byte> _buffer;
    private int _position;

    /// <summary>Creates a reader over <paramref name="buffer"/>.</summary>
    public CodecReader(ReadOnlyMemory<byte> buffer, SerializationContext? context = null)
    {
        _buffer = buffer;
        Context = context ?? SerializationContext.Default;
    }

    /// <summary>Context for rebuilding references.</summary>
    public SerializationContext Context { get; }

    /// <summary>Bytes consumed so far.</summary>
    public int Position => _position;

    /// <summary>Bytes left to read.</summary>
    public int Remaining => _buffer.Length - _position;

    /// <summary>Reads any value through its registered codec.</summary>
    public T Read<T>() => Codec<T>.Instance.Read(this);

    /// <summary>Reads one raw byte.</summary>
    public byte ReadByte()
    {
        if (_position >= _buffer.Length)
        {
            throw new CodecException($"Unexpected end of data at offset {_position}.");
        }

        return _buffer.Span[_position++];
    }

    /// <summary>Reads a boolean written by <see cref="CodecWriter.WriteBoolean"/>.</summary>
    public bool ReadBoolean() => ReadByte() switch
    {
        0 => false,
        1 => true,
        var other => throw new CodecException($"Invalid boolean byte {other} at offset {_position - 1}."),
    };

    /// <summary>Reads an unsigned varint.</summary>
    public ulong ReadVarUInt64()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            if (shift == 63 && b > 1)
            {
                throw new CodecException($"Varint overflows 64 bits at offset {_position - 1}.");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new CodecException($"Varint longer than 10 bytes at offset {_position}.");
    }

    /// <summary>Reads an unsigned varint that must fit 32 bits.</summary>
    public uint ReadVarUInt32()
    {
        var value = ReadVarUInt64();
        return value <= uint.MaxValue ? (uint)value : throw new CodecException($"Varint {value} does not fit 32 bits.");
    }

    /// <summary>Reads a zig-zag varint.</summary>
    public long ReadVarInt64()
    {
        var raw = ReadVarUInt64();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>Reads a zig-zag varint that must fit 32 bits.</summary>
    public int ReadVarInt32()
    {
        var value = ReadVarInt64();
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new CodecException($"Value {value} does not fit 32 bits.");
    }

    /// <summary>Reads a little-endian double.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(ReadRaw(8));

    /// <summary>Reads a string written by <see cref="CodecWriter.WriteString"/>.</summary>
    public string? ReadString()
    {
        var prefix = ReadVarUInt32();
        if (prefix == 0)
        {
            return null;
        }

        var bytes = ReadRaw(PrefixedLength(prefix));
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new CodecException("Invalid UTF-8 in string.", ex);
        }
    }

    /// <summary>Reads a byte array written by <see cref="CodecWriter.WriteByteArray"/>.</summary>
    public byte[]? ReadByteArray()
    {
        var prefix = ReadVarUInt32();
        return prefix == 0 ? null : ReadRaw(PrefixedLength(prefix)).ToArray();
    }

    /// <summary>Reads a length-prefixed byte sequence without copying; the memory aliases the reader's buffer.</summary>
    public ReadOnlyMemory<byte> ReadBytesMemory()
    {
        var prefix = ReadVarUInt32();
        if (prefix == 0)
        {
            throw new CodecException("Null where a byte sequence was required.");
        }

        var length = PrefixedLength(prefix);
        EnsureAvailable(length);
        var memory = _buffer.Slice(_position, length);
        _position += length;
        return memory;
    }

    /// <summary>Reads <paramref name="count"/> raw bytes.</summary>
    public ReadOnlySpan<byte> ReadRaw(int count)
    {
        EnsureAvailable(count);
        var span = _buffer.Span.Slice(_position, count);
        _position += count;
        return span;
    }

    /// <summary>Reads a collection count and checks that it is plausible for the bytes left
    /// (every element takes at least one byte), so a corrupt count cannot trigger a huge allocation.</summary>
    public int ReadCount()
    {
        var count = ReadVarUInt32();
        if (count > (uint)Remaining)
        {
            throw new CodecException($"Collection count {count} exceeds the {Remaining} bytes left.");
        }

        return (int)count;
    }

    // A length prefix is the byte count + 1; a corrupt prefix beyond int range must fail as malformed data,
    // not as an OverflowException from a checked cast.
    private int PrefixedLength(uint prefix)
    {
        var length = prefix - 1;
        return length <= (uint)Remaining
            ? (int)length
            : throw new CodecException($"Length {length} at offset {_position} runs past the end of data ({_buffer.Length} bytes).");
    }

    private void EnsureAvailable(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new CodecException($"Length {count} at offset {_position} runs past the end of data ({_buffer.Length} bytes).");
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
