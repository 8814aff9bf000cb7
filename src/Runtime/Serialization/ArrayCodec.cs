namespace Switchboard.Runtime.Serialization;

/// <summary>Single-dimension arrays: presence, count, elements.</summary>
internal sealed class ArrayCodec<T> : IFieldCodec<T[]?>
{
    public void Write(CodecWriter writer, T[]? value)
    {
        writer.WriteBoolean(value is not null);
        if (value is null)
        {
            return;
        }

        writer.WriteVarUInt32((uint)value.Length);
        var codec = Codec<T>.Instance;
        foreach (var item in value)
        {
            codec.Write(writer, item);
        }
    }

    public T[]? Read(CodecReader reader)
    {
        if (!BuiltInCodecs.ReadPresence(reader))
        {
            return null;
        }

        var result = new T[reader.ReadCount()];
        var codec = Codec<T>.Instance;
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = codec.Read(reader);
        }

        return result;
    }
}
