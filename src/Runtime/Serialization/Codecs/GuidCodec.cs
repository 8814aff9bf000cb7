namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>16 bytes in <see cref="Guid.ToByteArray()"/> order.</summary>
internal sealed class GuidCodec : IFieldCodec<Guid>
{
    public static readonly GuidCodec Instance = new();

    public void Write(CodecWriter writer, Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes);
        writer.WriteRaw(bytes);
    }

    public Guid Read(CodecReader reader) => new(reader.ReadRaw(16));
}
