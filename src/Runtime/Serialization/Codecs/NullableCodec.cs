namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>Presence byte, then the value through its own codec.</summary>
internal sealed class NullableCodec<T> : IFieldCodec<T?>
    where T : struct
{
    public void Write(CodecWriter writer, T? value)
    {
        writer.WriteByte(value.HasValue ? (byte)1 : (byte)0);
        if (value.HasValue)
        {
            writer.Write(value.GetValueOrDefault());
        }
    }

    public T? Read(CodecReader reader) => Presence.Read(reader, typeof(T?)) ? reader.Read<T>() : null;
}
