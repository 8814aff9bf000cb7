using System.Buffers.Binary;

namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>The four 32-bit parts of the decimal, little-endian (16 bytes). Parts that do not form a valid decimal
/// (scale over 28, reserved bits set) are malformed.</summary>
internal sealed class DecimalCodec : IFieldCodec<decimal>
{
    public static readonly DecimalCodec Instance = new();

    public void Write(CodecWriter writer, decimal value)
    {
        Span<int> parts = stackalloc int[4];
        decimal.GetBits(value, parts);
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes[(i * 4)..], parts[i]);
        }

        writer.WriteRaw(bytes);
    }

    public decimal Read(CodecReader reader)
    {
        var bytes = reader.ReadRaw(16);
        Span<int> parts = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            parts[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 4)..]);
        }

        try
        {
            return new decimal(parts);
        }
        catch (ArgumentException ex)
        {
            throw new CodecException("Invalid decimal bits.", ex);
        }
    }
}
