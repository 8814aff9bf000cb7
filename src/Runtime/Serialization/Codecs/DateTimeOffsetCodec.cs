namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>The local clock ticks as a varint, then the offset in whole minutes as a zig-zag varint. Offsets beyond
/// ±14 hours or a combination outside the representable range are malformed.</summary>
internal sealed class DateTimeOffsetCodec : IFieldCodec<DateTimeOffset>
{
    public static readonly DateTimeOffsetCodec Instance = new();

    public void Write(CodecWriter writer, DateTimeOffset value)
    {
        writer.WriteVarUInt64((ulong)value.Ticks);
        writer.WriteVarInt32((int)value.Offset.TotalMinutes);
    }

    public DateTimeOffset Read(CodecReader reader)
    {
        var ticks = reader.ReadVarUInt64();
        var minutes = reader.ReadVarInt32();
        if (ticks > (ulong)DateTime.MaxValue.Ticks || minutes is < -14 * 60 or > 14 * 60)
        {
            throw new CodecException($"DateTimeOffset ticks {ticks} or offset {minutes} min out of range.");
        }

        try
        {
            return new DateTimeOffset((long)ticks, TimeSpan.FromMinutes(minutes));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new CodecException("DateTimeOffset out of range.", ex);
        }
    }
}
