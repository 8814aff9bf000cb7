namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>One raw byte.</summary>
internal sealed class ByteCodec : IFieldCodec<byte>
{
    public static readonly ByteCodec Instance = new();

    public void Write(CodecWriter writer, byte value) => writer.WriteByte(value);

    public byte Read(CodecReader reader) => reader.ReadByte();
}
