namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>8 little-endian bytes (IEEE 754), so NaN payloads and negative zero survive.</summary>
internal sealed class DoubleCodec : IFieldCodec<double>
{
    public static readonly DoubleCodec Instance = new();

    public void Write(CodecWriter writer, double value) => writer.WriteDouble(value);

    public double Read(CodecReader reader) => reader.ReadDouble();
}
