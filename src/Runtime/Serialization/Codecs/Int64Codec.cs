namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>Zig-zag varint.</summary>
internal sealed class Int64Codec : IFieldCodec<long>
{
    public static readonly Int64Codec Instance = new();

    public void Write(CodecWriter writer, long value) => writer.WriteVarInt64(value);

    public long Read(CodecReader reader) => reader.ReadVarInt64();
}
