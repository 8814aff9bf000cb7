namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>
/// Lists and list-like interfaces (<see cref="List{T}"/>, <see cref="IList{T}"/>, <see cref="IReadOnlyList{T}"/>,
/// <see cref="IReadOnlyCollection{T}"/>, <see cref="ICollection{T}"/>, <see cref="IEnumerable{T}"/>): presence byte,
/// count, elements; the same bytes as <see cref="ArrayCodec{T}"/>. Reads produce a <see cref="List{T}"/>, or an array
/// for <see cref="IEnumerable{T}"/>.
/// </summary>
internal sealed class SequenceCodec<TCollection, T>(bool readAsArray) : IFieldCodec<TCollection?>
    where TCollection : class, IEnumerable<T>
{
    public void Write(CodecWriter writer, TCollection? value)
    {
        if (value is null)
        {
            writer.WriteByte(0);
            return;
        }

        writer.WriteByte(1);
        switch (value)
        {
            case IReadOnlyCollection<T> sized:
                WriteItems(writer, sized.Count, sized);
                break;
            case ICollection<T> collection:
                WriteItems(writer, collection.Count, collection);
                break;
            default:
                // A lazy sequence is enumerated exactly once.
                var items = value.ToArray();
                WriteItems(writer, items.Length, items);
                break;
        }
    }

    public TCollection? Read(CodecReader reader)
    {
        if (!Presence.Read(reader, typeof(TCollection)))
        {
            return null;
        }

        var count = reader.ReadCount();
        if (readAsArray)
        {
            var array = new T[count];
            for (var i = 0; i < array.Length; i++)
            {
                array[i] = reader.Read<T>();
            }

            return (TCollection)(object)array;
        }

        var list = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(reader.Read<T>());
        }

        return (TCollection)(object)list;
    }

    private static void WriteItems(CodecWriter writer, int count, IEnumerable<T> items)
    {
        writer.WriteVarUInt32((uint)count);
        var written = 0;
        foreach (var item in items)
        {
            writer.Write(item);
            written++;
        }

        if (written != count)
        {
            throw new InvalidOperationException($"Collection of {typeof(T)} changed while being serialized ({count} counted, {written} enumerated).");
        }
    }
}
