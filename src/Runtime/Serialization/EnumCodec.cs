namespace Switchboard.Runtime.Serialization;

/// <summary>Enums as their underlying value, zig-zag varint. Undefined values read back as-is.</summary>
internal sealed class EnumCodec<T> : IFieldCodec<T> where T : struct, Enum
{
    public void Write(CodecWriter writer, T value) => writer.WriteVarInt64(BuiltInCodecs.EnumToInt64(value));

    public T Read(CodecReader reader) => BuiltInCodecs.Int64ToEnum<T>(reader.ReadVarInt64());
}
