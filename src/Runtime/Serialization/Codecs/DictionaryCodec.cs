namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>
/// <see cref="Dictionary{TKey, TValue}"/>, <see cref="IDictionary{TKey, TValue}"/> and
/// <see cref="IReadOnlyDictionary{TKey, TValue}"/>: presence byte, count, then key and value of each entry. Reads a
/// <see cref="Dictionary{TKey, TValue}"/> with the default comparer (ordinal for strings). Null or duplicate keys in
/// the input are malformed.
/// </summary>
internal sealed class DictionaryCodec<TDictionary, TKey, TValue> : IFieldCodec<TDictionary?>
    where TDictionary : class, IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    public void Write(CodecWriter writer, TDictionary? value)
    {
        if (value is null)
        {
            writer.WriteByte(0);
            return;
        }

        writer.WriteByte(1);
        var count = value switch
        {
            IReadOnlyCollection<KeyValuePair<TKey, TValue>> sized => sized.Count,
            ICollection<KeyValuePair<TKey, TValue>> collection => collection.Count,
            _ => value.Count(),
        };
        writer.WriteVarUInt32((uint)count);
        var written = 0;
        foreach (var pair in value)
        {
            writer.Write(pair.Key);
            writer.Write(pair.Value);
            written++;
        }

        if (written != count)
        {
            throw new InvalidOperationException($"Dictionary changed while being serialized ({count} counted, {written} enumerated).");
        }
    }

    public TDictionary? Read(CodecReader reader)
    {
        if (!Presence.Read(reader, typeof(TDictionary)))
        {
            return null;
        }

        var count = reader.ReadCount();
        var dictionary = new Dictionary<TKey, TValue>(count);
        for (var i = 0; i < count; i++)
        {
            var key = reader.Read<TKey>();
            var value = reader.Read<TValue>();
            if (key is null)
            {
                throw new CodecException($"Null key in a dictionary of {typeof(TKey)}.");
            }

            if (!dictionary.TryAdd(key, value))
            {
                throw new CodecException($"Duplicate key in a dictionary of {typeof(TKey)}.");
            }
        }

        return (TDictionary)(object)dictionary;
    }
}
