namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>Zig-zag varint.</summary>
internal sealed class Int32Codec : IFieldCodec<int>
{
    public static readonly Int32Codec Instance = new();

    public void Write(CodecWriter writer, int value) => writer.WriteVarInt32(value);

    public int Read(CodecReader reader) => reader.ReadVarInt32();
}
