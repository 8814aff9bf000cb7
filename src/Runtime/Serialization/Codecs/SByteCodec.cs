namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>One raw byte (two's complement).</summary>
internal sealed class SByteCodec : IFieldCodec<sbyte>
{
    public static readonly SByteCodec Instance = new();

    public void Write(CodecWriter writer, sbyte value) => writer.WriteByte(unchecked((byte)value));

    public sbyte Read(CodecReader reader) => unchecked((sbyte)reader.ReadByte());
}
