namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>Varint.</summary>
internal sealed class UInt64Codec : IFieldCodec<ulong>
{
    public static readonly UInt64Codec Instance = new();

    public void Write(CodecWriter writer, ulong value) => writer.WriteVarUInt64(value);

    public ulong Read(CodecReader reader) => reader.ReadVarUInt64();
}
