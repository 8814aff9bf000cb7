using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Switchboard.Runtime.Serialization;

/// <summary>
/// Append-only writer of the runtime's binary format over a growable pooled buffer.
/// Format: unsigned integers as LEB128 varints, signed integers zig-zag encoded, strings as a varint
/// (byte length + 1, 0 meaning null) followed by UTF-8, byte arrays the same way, doubles as 8 little-endian bytes.
/// Not thread-safe. Dispose returns the buffer to the pool; the written bytes are invalid afterwards.
/// </summary>
public sealed class CodecWriter : IDisposable
{
    private byte[] _buffer;
    private int _position;

    /// <summary>Creates a writer with an initial capacity from the shared array pool.</summary>
    public CodecWriter(int initialCapacity = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, initialCapacity));
    }

    /// <summary>Number of bytes written so far.</summary>
    public int Length => _position;

    /// <summary>The bytes written so far (valid until the next write or dispose).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);

    /// <summary>The bytes written so far (valid until the next write or dispose).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    /// <summary>Copies the written bytes into a new array.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Forgets what was written, keeping the buffer.</summary>
    public void Reset() => _position = 0;

    /// <summary>Writes any value through its registered codec.</summary>
    public void Write<T>(T value) => Codec<T>.Instance.Write(this, value);

    /// <summary>Writes one raw byte.</summary>
    public void WriteByte(byte value)
    {
        EnsureCapacity(1);
        _buffer[_position++] = value;
    }

    /// <summary>Writes a boolean as one byte.</summary>
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>Writes an unsigned varint.</summary>
    public void WriteVarUInt64(ulong value)
    {
        EnsureCapacity(10);
        while (value >= 0x80)
        {
            _buffer[_position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_position++] = (byte)value;
    }

    /// <summary>Writes an unsigned varint.</summary>
    public void WriteVarUInt32(uint value) => WriteVarUInt64(value);

    /// <summary>Writes a signed integer zig-zag encoded as a varint.</summary>
    public void WriteVarInt64(long value) => WriteVarUInt64((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Writes a signed integer zig-zag encoded as a varint.</summary>
    public void WriteVarInt32(int value) => WriteVarInt64(value);

    /// <summary>Writes a double as 8 little-endian bytes.</summary>
    public void WriteDouble(double value)
    {
        EnsureCapacity(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    /// <summary>Writes a length-prefixed UTF-8 string; null is distinct from empty.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteVarUInt32(0);
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt32((uint)byteCount + 1);
        EnsureCapacity(byteCount);
        _position += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position));
    }

    /// <summary>Writes a length-prefixed byte sequence (non-null).</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarUInt32((uint)value.Length + 1);
        WriteRaw(value);
    }

    /// <summary>Writes a length-prefixed byte array; null is distinct from empty.</summary>
    public void WriteByteArray(byte[]? value)
    {
        if (value is null)
        {
            WriteVarUInt32(0);
            return;
        }

        WriteBytes(value);
    }

    /// <summary>Writes bytes with no length prefix.</summary>
    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        EnsureCapacity(value.Length);
        value.CopyTo(_buffer.AsSpan(_position));
        _position += value.Length;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _position = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureCapacity(int additional)
    {
        if (_position + additional <= _buffer.Length)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + additional));
        _buffer.AsSpan(0, _position).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }
}
