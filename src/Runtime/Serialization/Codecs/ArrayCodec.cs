namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>Presence byte, count, elements.</summary>
internal sealed class ArrayCodec<T> : IFieldCodec<T[]?>
{
    public void Write(CodecWriter writer, T[]? value)
    {
        if (value is null)
        {
            writer.WriteByte(0);
            return;
        }

        writer.WriteByte(1);
        writer.WriteVarUInt32((uint)value.Length);
        foreach (var item in value)
        {
            writer.Write(item);
        }
    }

    public T[]? Read(CodecReader reader)
    {
        if (!Presence.Read(reader, typeof(T[])))
        {
            return null;
        }

        var count = reader.ReadCount();
        var result = new T[count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = reader.Read<T>();
        }

        return result;
    }
}
