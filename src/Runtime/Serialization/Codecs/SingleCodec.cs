using System.Buffers.Binary;

namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>4 little-endian bytes (IEEE 754).</summary>
internal sealed class SingleCodec : IFieldCodec<float>
{
    public static readonly SingleCodec Instance = new();

    public void Write(CodecWriter writer, float value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        writer.WriteRaw(bytes);
    }

    public float Read(CodecReader reader) => BinaryPrimitives.ReadSingleLittleEndian(reader.ReadRaw(4));
}
