using System.Runtime.CompilerServices;

namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>
/// The underlying integer value, zig-zag varint encoded (unsigned 64-bit values are reinterpreted as signed, so all
/// values round-trip). Values that are not named members are returned as they are: a newer peer may know more
/// members, and rejecting them would break rolling upgrades. A value out of the underlying type's range is malformed.
/// </summary>
internal sealed class EnumCodec<T> : IFieldCodec<T>
    where T : struct, Enum
{
    private static readonly TypeCode Underlying = Type.GetTypeCode(Enum.GetUnderlyingType(typeof(T)));

    public void Write(CodecWriter writer, T value)
    {
        long raw = Underlying switch
        {
            TypeCode.SByte => Unsafe.As<T, sbyte>(ref value),
            TypeCode.Byte => Unsafe.As<T, byte>(ref value),
            TypeCode.Int16 => Unsafe.As<T, short>(ref value),
            TypeCode.UInt16 => Unsafe.As<T, ushort>(ref value),
            TypeCode.Int32 => Unsafe.As<T, int>(ref value),
            TypeCode.UInt32 => Unsafe.As<T, uint>(ref value),
            TypeCode.Int64 => Unsafe.As<T, long>(ref value),
            _ => unchecked((long)Unsafe.As<T, ulong>(ref value)),
        };
        writer.WriteVarInt64(raw);
    }

    public T Read(CodecReader reader)
    {
        var raw = reader.ReadVarInt64();
        var value = default(T);
        switch (Underlying)
        {
            case TypeCode.SByte:
                Unsafe.As<T, sbyte>(ref value) = raw is >= sbyte.MinValue and <= sbyte.MaxValue ? (sbyte)raw : throw OutOfRange(raw);
                break;
            case TypeCode.Byte:
                Unsafe.As<T, byte>(ref value) = raw is >= byte.MinValue and <= byte.MaxValue ? (byte)raw : throw OutOfRange(raw);
                break;
            case TypeCode.Int16:
                Unsafe.As<T, short>(ref value) = raw is >= short.MinValue and <= short.MaxValue ? (short)raw : throw OutOfRange(raw);
                break;
            case TypeCode.UInt16:
                Unsafe.As<T, ushort>(ref value) = raw is >= ushort.MinValue and <= ushort.MaxValue ? (ushort)raw : throw OutOfRange(raw);
                break;
            case TypeCode.Int32:
                Unsafe.As<T, int>(ref value) = raw is >= int.MinValue and <= int.MaxValue ? (int)raw : throw OutOfRange(raw);
                break;
            case TypeCode.UInt32:
                Unsafe.As<T, uint>(ref value) = raw is >= uint.MinValue and <= uint.MaxValue ? (uint)raw : throw OutOfRange(raw);
                break;
            case TypeCode.Int64:
                Unsafe.As<T, long>(ref value) = raw;
                break;
            default:
                Unsafe.As<T, ulong>(ref value) = unchecked((ulong)raw);
                break;
        }

        return value;
    }

    private static CodecException OutOfRange(long raw) => new($"Value {raw} is out of range for enum {typeof(T)}.");
}
