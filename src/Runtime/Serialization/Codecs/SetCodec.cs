namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary><see cref="HashSet{T}"/> and <see cref="ISet{T}"/>: presence byte, count, elements; reads a
/// <see cref="HashSet{T}"/> with the default comparer. Duplicate elements in the input are malformed.</summary>
internal sealed class SetCodec<TSet, T> : IFieldCodec<TSet?>
    where TSet : class, ISet<T>
{
    public void Write(CodecWriter writer, TSet? value)
    {
        if (value is null)
        {
            writer.WriteByte(0);
            return;
        }

        writer.WriteByte(1);
        writer.WriteVarUInt32((uint)value.Count);
        foreach (var item in value)
        {
            writer.Write(item);
        }
    }

    public TSet? Read(CodecReader reader)
    {
        if (!Presence.Read(reader, typeof(TSet)))
        {
            return null;
        }

        var count = reader.ReadCount();
        var set = new HashSet<T>(count);
        for (var i = 0; i < count; i++)
        {
            if (!set.Add(reader.Read<T>()))
            {
                throw new CodecException($"Duplicate element in a set of {typeof(T)}.");
            }
        }

        return (TSet)(object)set;
    }
}
