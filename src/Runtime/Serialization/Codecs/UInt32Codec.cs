namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>Varint.</summary>
internal sealed class UInt32Codec : IFieldCodec<uint>
{
    public static readonly UInt32Codec Instance = new();

    public void Write(CodecWriter writer, uint value) => writer.WriteVarUInt32(value);

    public uint Read(CodecReader reader) => reader.ReadVarUInt32();
}
