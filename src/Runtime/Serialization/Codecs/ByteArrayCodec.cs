namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>Length-prefixed bytes; null and empty are distinct.</summary>
internal sealed class ByteArrayCodec : IFieldCodec<byte[]?>
{
    public static readonly ByteArrayCodec Instance = new();

    public void Write(CodecWriter writer, byte[]? value) => writer.WriteByteArray(value);

    public byte[]? Read(CodecReader reader) => reader.ReadByteArray();
}
