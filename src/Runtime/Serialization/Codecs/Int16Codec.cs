namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>Zig-zag varint; values outside the 16-bit range are malformed.</summary>
internal sealed class Int16Codec : IFieldCodec<short>
{
    public static readonly Int16Codec Instance = new();

    public void Write(CodecWriter writer, short value) => writer.WriteVarInt32(value);

    public short Read(CodecReader reader) => Narrow(reader.ReadVarInt32());

    private static short Narrow(int value)
        => value is >= short.MinValue and <= short.MaxValue ? (short)value : throw new CodecException($"Value {value} does not fit 16 bits.");
}
