namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>Varint; values outside the 16-bit range are malformed.</summary>
internal sealed class UInt16Codec : IFieldCodec<ushort>
{
    public static readonly UInt16Codec Instance = new();

    public void Write(CodecWriter writer, ushort value) => writer.WriteVarUInt32(value);

    public ushort Read(CodecReader reader) => Narrow(reader.ReadVarUInt32());

    private static ushort Narrow(uint value)
        => value <= ushort.MaxValue ? (ushort)value : throw new CodecException($"Value {value} does not fit 16 bits.");
}
