namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>
/// One kind byte (<see cref="DateTimeKind"/>) then the ticks as a varint. Local times travel as UTC ticks and are
/// converted back to the reader's local time, so the instant is preserved across machines in different zones;
/// UTC and unspecified times keep their ticks unchanged. An unknown kind or ticks out of range are malformed.
/// </summary>
internal sealed class DateTimeCodec : IFieldCodec<DateTime>
{
    public static readonly DateTimeCodec Instance = new();

    public void Write(CodecWriter writer, DateTime value)
    {
        writer.WriteByte((byte)value.Kind);
        var ticks = value.Kind == DateTimeKind.Local ? value.ToUniversalTime().Ticks : value.Ticks;
        writer.WriteVarUInt64((ulong)ticks);
    }

    public DateTime Read(CodecReader reader)
    {
        var kind = reader.ReadByte();
        var ticks = reader.ReadVarUInt64();
        if (ticks > (ulong)DateTime.MaxValue.Ticks)
        {
            throw new CodecException($"DateTime ticks {ticks} out of range.");
        }

        return kind switch
        {
            (byte)DateTimeKind.Unspecified => new DateTime((long)ticks, DateTimeKind.Unspecified),
            (byte)DateTimeKind.Utc => new DateTime((long)ticks, DateTimeKind.Utc),
            (byte)DateTimeKind.Local => new DateTime((long)ticks, DateTimeKind.Utc).ToLocalTime(),
            _ => throw new CodecException($"Invalid DateTimeKind {kind}."),
        };
    }
}
