namespace Switchboard.Runtime.Serialization;

/// <summary><see cref="Nullable{T}"/>: a presence byte, then the value.</summary>
internal sealed class NullableCodec<T> : IFieldCodec<T?> where T : struct
{
    public void Write(CodecWriter writer, T? value)
    {
        writer.WriteBoolean(value.HasValue);
        if (value.HasValue)
        {
            Codec<T>.Instance.Write(writer, value.Value);
        }
    }

    public T? Read(CodecReader reader) => BuiltInCodecs.ReadPresence(reader) ? Codec<T>.Instance.Read(reader) : null;
}
