namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>Length-prefixed bytes, like a non-null byte array. Reading copies: the reader's buffer is usually a pooled
/// network buffer that is reused once the message is dispatched, so aliasing it would corrupt the value later.</summary>
internal sealed class ReadOnlyMemoryCodec : IFieldCodec<ReadOnlyMemory<byte>>
{
    public static readonly ReadOnlyMemoryCodec Instance = new();

    public void Write(CodecWriter writer, ReadOnlyMemory<byte> value) => writer.WriteBytes(value.Span);

    public ReadOnlyMemory<byte> Read(CodecReader reader) => reader.ReadBytesMemory().ToArray();
}
