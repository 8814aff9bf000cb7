namespace Switchboard.Runtime.Serialization;

/// <summary>Sets (read as <see cref="HashSet{T}"/> with the default comparer): presence, count, elements.</summary>
internal sealed class SetCodec<TSet, T> : IFieldCodec<TSet?> where TSet : IEnumerable<T>
{
    public void Write(CodecWriter writer, TSet? value)
    {
        writer.WriteBoolean(value is not null);
        if (value is null)
        {
            return;
        }

        var items = value.ToList();
        writer.WriteVarUInt32((uint)items.Count);
        var codec = Codec<T>.Instance;
        foreach (var item in items)
        {
            codec.Write(writer, item);
        }
    }

    public TSet? Read(CodecReader reader)
    {
        if (!BuiltInCodecs.ReadPresence(reader))
        {
            return default;
        }

        var count = reader.ReadCount();
        var set = new HashSet<T>(count);
        var codec = Codec<T>.Instance;
        for (var i = 0; i < count; i++)
        {
            set.Add(codec.Read(reader));
        }

        return (TSet)(object)set;
    }
}
