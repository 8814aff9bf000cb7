using System.Runtime.CompilerServices;

namespace Switchboard.Runtime.Serialization;

/// <summary>
/// Codecs for the BCL types grain contracts use, created on first use of each closed type. Generic shapes
/// (collections, enums, nullables, grain references) are closed once with MakeGenericType: reflection at first
/// use only, never per call.
/// </summary>
internal static class BuiltInCodecs
{
    private static readonly Dictionary<Type, object> Scalars = new()
    {
        [typeof(bool)] = new DelegateCodec<bool>(static (w, v) => w.WriteBoolean(v), static r => r.ReadBoolean()),
        [typeof(byte)] = new DelegateCodec<byte>(static (w, v) => w.WriteByte(v), static r => r.ReadByte()),
        [typeof(sbyte)] = new DelegateCodec<sbyte>(static (w, v) => w.WriteVarInt64(v), static r => checked((sbyte)r.ReadVarInt64())),
        [typeof(short)] = new DelegateCodec<short>(static (w, v) => w.WriteVarInt64(v), static r => Narrow<short>(r.ReadVarInt64(), short.MinValue, short.MaxValue)),
        [typeof(ushort)] = new DelegateCodec<ushort>(static (w, v) => w.WriteVarUInt64(v), static r => (ushort)NarrowU(r.ReadVarUInt64(), ushort.MaxValue)),
        [typeof(int)] = new DelegateCodec<int>(static (w, v) => w.WriteVarInt32(v), static r => r.ReadVarInt32()),
        [typeof(uint)] = new DelegateCodec<uint>(static (w, v) => w.WriteVarUInt32(v), static r => r.ReadVarUInt32()),
        [typeof(long)] = new DelegateCodec<long>(static (w, v) => w.WriteVarInt64(v), static r => r.ReadVarInt64()),
        [typeof(ulong)] = new DelegateCodec<ulong>(static (w, v) => w.WriteVarUInt64(v), static r => r.ReadVarUInt64()),
        [typeof(char)] = new DelegateCodec<char>(static (w, v) => w.WriteVarUInt64(v), static r => (char)NarrowU(r.ReadVarUInt64(), char.MaxValue)),
        [typeof(float)] = new DelegateCodec<float>(static (w, v) => w.WriteDouble(v), static r => (float)r.ReadDouble()),
        [typeof(double)] = new DelegateCodec<double>(static (w, v) => w.WriteDouble(v), static r => r.ReadDouble()),
        [typeof(decimal)] = new DelegateCodec<decimal>(WriteDecimal, ReadDecimal),
        [typeof(string)] = new DelegateCodec<string?>(static (w, v) => w.WriteString(v), static r => r.ReadString()),
        [typeof(byte[])] = new DelegateCodec<byte[]?>(static (w, v) => w.WriteByteArray(v), static r => r.ReadByteArray()),
        [typeof(ReadOnlyMemory<byte>)] = new DelegateCodec<ReadOnlyMemory<byte>>(static (w, v) => w.WriteBytes(v.Span), static r => r.ReadBytesMemory().ToArray()),
        [typeof(Guid)] = new DelegateCodec<Guid>(static (w, v) => WriteGuid(w, v), static r => new Guid(r.ReadRaw(16))),
        [typeof(TimeSpan)] = new DelegateCodec<TimeSpan>(static (w, v) => w.WriteVarInt64(v.Ticks), static r => new TimeSpan(r.ReadVarInt64())),
        [typeof(DateTime)] = new DelegateCodec<DateTime>(static (w, v) => w.WriteVarInt64(v.ToBinary()), static r => ReadDateTime(r)),
        [typeof(DateTimeOffset)] = new DelegateCodec<DateTimeOffset>(WriteDateTimeOffset, ReadDateTimeOffset),
    };

    public static object? TryCreate(Type type)
    {
        if (Scalars.TryGetValue(type, out var scalar))
        {
            return scalar;
        }

        if (type.IsEnum)
        {
            return Create(typeof(EnumCodec<>), type);
        }

        if (type.IsArray && type.GetArrayRank() == 1 && type != typeof(byte[]))
        {
            return Create(typeof(ArrayCodec<>), type.GetElementType()!);
        }

        if (type.IsInterface && typeof(IAddressable).IsAssignableFrom(type))
        {
            return Create(typeof(ReferenceCodec<>), type);
        }

        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        var arguments = type.GetGenericArguments();
        if (definition == typeof(Nullable<>))
        {
            return Create(typeof(NullableCodec<>), arguments[0]);
        }

        if (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
            || definition == typeof(IReadOnlyCollection<>) || definition == typeof(ICollection<>) || definition == typeof(IEnumerable<>))
        {
            return Create(typeof(ListCodec<,>), type, arguments[0]);
        }

        if (definition == typeof(HashSet<>) || definition == typeof(ISet<>) || definition == typeof(IReadOnlySet<>))
        {
            return Create(typeof(SetCodec<,>), type, arguments[0]);
        }

        if (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
        {
            return Create(typeof(DictionaryCodec<,,>), type, arguments[0], arguments[1]);
        }

        return null;
    }

    private static object Create(Type codec, params Type[] arguments)
        => Activator.CreateInstance(codec.MakeGenericType(arguments))!;

    private static T Narrow<T>(long value, long min, long max) where T : struct
        => value >= min && value <= max
            ? (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture)
            : throw new CodecException($"Value {value} is out of range for {typeof(T).Name}.");

    private static ulong NarrowU(ulong value, ulong max)
        => value <= max ? value : throw new CodecException($"Value {value} exceeds {max}.");

    private static void WriteGuid(CodecWriter writer, Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes);
        writer.WriteRaw(bytes);
    }

    private static void WriteDecimal(CodecWriter writer, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        foreach (var part in bits)
        {
            writer.WriteVarInt32(part);
        }
    }

    private static decimal ReadDecimal(CodecReader reader)
    {
        Span<int> bits = [reader.ReadVarInt32(), reader.ReadVarInt32(), reader.ReadVarInt32(), reader.ReadVarInt32()];
        try
        {
            return new decimal(bits);
        }
        catch (ArgumentException ex)
        {
            throw new CodecException("Invalid decimal bits.", ex);
        }
    }

    private static DateTime ReadDateTime(CodecReader reader)
    {
        var raw = reader.ReadVarInt64();
        try
        {
            return DateTime.FromBinary(raw);
        }
        catch (ArgumentException ex)
        {
            throw new CodecException($"Invalid DateTime value {raw}.", ex);
        }
    }

    private static void WriteDateTimeOffset(CodecWriter writer, DateTimeOffset value)
    {
        writer.WriteVarInt64(value.Ticks);
        writer.WriteVarInt32((int)value.Offset.TotalMinutes);
    }

    private static DateTimeOffset ReadDateTimeOffset(CodecReader reader)
    {
        var ticks = reader.ReadVarInt64();
        var minutes = reader.ReadVarInt32();
        try
        {
            return new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));
        }
        catch (ArgumentException ex)
        {
            throw new CodecException($"Invalid DateTimeOffset ({ticks} ticks, offset {minutes} min).", ex);
        }
    }

    /// <summary>Reads the presence byte of a nullable value: false for null.</summary>
    internal static bool ReadPresence(CodecReader reader) => reader.ReadByte() switch
    {
        0 => false,
        1 => true,
        var other => throw new CodecException($"Invalid presence byte {other}."),
    };

    /// <summary>Reinterprets an enum as its underlying integer without boxing.</summary>
    internal static long EnumToInt64<T>(T value) where T : struct, Enum => Unsafe.SizeOf<T>() switch
    {
        1 => Unsafe.As<T, sbyte>(ref value),
        2 => Unsafe.As<T, short>(ref value),
        4 => Unsafe.As<T, int>(ref value),
        _ => Unsafe.As<T, long>(ref value),
    };

    internal static T Int64ToEnum<T>(long raw) where T : struct, Enum
    {
        switch (Unsafe.SizeOf<T>())
        {
            case 1:
                var b = (sbyte)raw;
                return Unsafe.As<sbyte, T>(ref b);
            case 2:
                var s = (short)raw;
                return Unsafe.As<short, T>(ref s);
            case 4:
                var i = (int)raw;
                return Unsafe.As<int, T>(ref i);
            default:
                return Unsafe.As<long, T>(ref raw);
        }
    }
}
