namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>
/// Creates the codec of a built-in or generic closed type on first use. Reflection (<see cref="Type.MakeGenericType"/>)
/// runs once per closed type; <see cref="Codec{T}"/> caches the result, so the per-call path is a static field read.
/// </summary>
internal static class BuiltInCodecs
{
    private static readonly Dictionary<Type, object> Fixed = new()
    {
        [typeof(bool)] = BooleanCodec.Instance,
        [typeof(byte)] = ByteCodec.Instance,
        [typeof(sbyte)] = SByteCodec.Instance,
        [typeof(short)] = Int16Codec.Instance,
        [typeof(ushort)] = UInt16Codec.Instance,
        [typeof(int)] = Int32Codec.Instance,
        [typeof(uint)] = UInt32Codec.Instance,
        [typeof(long)] = Int64Codec.Instance,
        [typeof(ulong)] = UInt64Codec.Instance,
        [typeof(float)] = SingleCodec.Instance,
        [typeof(double)] = DoubleCodec.Instance,
        [typeof(decimal)] = DecimalCodec.Instance,
        [typeof(char)] = CharCodec.Instance,
        [typeof(string)] = StringCodec.Instance,
        [typeof(byte[])] = ByteArrayCodec.Instance,
        [typeof(ReadOnlyMemory<byte>)] = ReadOnlyMemoryCodec.Instance,
        [typeof(Guid)] = GuidCodec.Instance,
        [typeof(DateTime)] = DateTimeCodec.Instance,
        [typeof(DateTimeOffset)] = DateTimeOffsetCodec.Instance,
        [typeof(TimeSpan)] = TimeSpanCodec.Instance,
    };

    /// <summary>The codec for <paramref name="type"/>, or null when it is not a built-in shape.</summary>
    public static object? TryCreate(Type type)
    {
        if (Fixed.TryGetValue(type, out var codec))
        {
            return codec;
        }

        if (type.IsEnum)
        {
            return Create(typeof(EnumCodec<>), type);
        }

        if (type.IsSZArray)
        {
            return Create(typeof(ArrayCodec<>), type.GetElementType()!);
        }

        if (type.IsInterface && typeof(IAddressable).IsAssignableFrom(type) && !type.IsGenericTypeDefinition)
        {
            return Create(typeof(GrainReferenceCodec<>), type);
        }

        if (!type.IsGenericType || type.IsGenericTypeDefinition)
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
            || definition == typeof(IReadOnlyCollection<>) || definition == typeof(ICollection<>))
        {
            return Activator.CreateInstance(typeof(SequenceCodec<,>).MakeGenericType(type, arguments[0]), [false]);
        }

        if (definition == typeof(IEnumerable<>))
        {
            return Activator.CreateInstance(typeof(SequenceCodec<,>).MakeGenericType(type, arguments[0]), [true]);
        }

        if (definition == typeof(HashSet<>) || definition == typeof(ISet<>))
        {
            return Activator.CreateInstance(typeof(SetCodec<,>).MakeGenericType(type, arguments[0]));
        }

        if (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
        {
            return Activator.CreateInstance(typeof(DictionaryCodec<,,>).MakeGenericType(type, arguments[0], arguments[1]));
        }

        return null;
    }

    private static object? Create(Type generic, Type argument) => Activator.CreateInstance(generic.MakeGenericType(argument));
}
