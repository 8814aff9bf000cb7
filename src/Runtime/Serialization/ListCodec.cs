namespace Switchboard.Runtime.Serialization;

/// <summary>Lists and the list-shaped interfaces (read as <see cref="List{T}"/>): presence, count, elements.</summary>
internal sealed class ListCodec<TCollection, T> : IFieldCodec<TCollection?> where TCollection : IEnumerable<T>
{
    public void Write(CodecWriter writer, TCollection? value)
    {
        writer.WriteBoolean(value is not null);
        if (value is null)
        {
            return;
        }

        var items = value as IReadOnlyCollection<T> ?? value.ToList();
        writer.WriteVarUInt32((uint)items.Count);
        var codec = Codec<T>.Instance;
        foreach (var item in items)
        {
            codec.Write(writer, item);
        }
    }

    public TCollection? Read(CodecReader reader)
    {
        if (!BuiltInCodecs.ReadPresence(reader))
        {
            return default;
        }

        var count = reader.ReadCount();
        var list = new List<T>(count);
        var codec = Codec<T>.Instance;
        for (var i = 0; i < count; i++)
        {
            list.Add(codec.Read(reader));
        }

        return (TCollection)(object)list;
    }
}
