namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>Zig-zag varint of the ticks.</summary>
internal sealed class TimeSpanCodec : IFieldCodec<TimeSpan>
{
    public static readonly TimeSpanCodec Instance = new();

    public void Write(CodecWriter writer, TimeSpan value) => writer.WriteVarInt64(value.Ticks);

    public TimeSpan Read(CodecReader reader) => new TimeSpan(reader.ReadVarInt64());
}
