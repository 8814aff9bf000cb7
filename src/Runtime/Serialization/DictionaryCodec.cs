namespace Switchboard.Runtime.Serialization;

/// <summary>Dictionaries (read as <see cref="Dictionary{TKey, TValue}"/>): presence, count, key/value pairs.
/// A duplicate or null key in the input is malformed.</summary>
internal sealed class DictionaryCodec<TDictionary, TKey, TValue> : IFieldCodec<TDictionary?>
    where TDictionary : IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    public void Write(CodecWriter writer, TDictionary? value)
    {
        writer.WriteBoolean(value is not null);
        if (value is null)
        {
            return;
        }

        var items = value as IReadOnlyCollection<KeyValuePair<TKey, TValue>> ?? value.ToList();
        writer.WriteVarUInt32((uint)items.Count);
        var keys = Codec<TKey>.Instance;
        var values = Codec<TValue>.Instance;
        foreach (var (key, item) in items)
        {
            keys.Write(writer, key);
            values.Write(writer, item);
        }
    }

    public TDictionary? Read(CodecReader reader)
    {
        if (!BuiltInCodecs.ReadPresence(reader))
        {
            return default;
        }

        var count = reader.ReadCount();
        var dictionary = new Dictionary<TKey, TValue>(count);
        var keys = Codec<TKey>.Instance;
        var values = Codec<TValue>.Instance;
        for (var i = 0; i < count; i++)
        {
            var key = keys.Read(reader) ?? throw new CodecException("Null dictionary key.");
            if (!dictionary.TryAdd(key, values.Read(reader)))
            {
                throw new CodecException($"Duplicate dictionary key '{key}'.");
            }
        }

        return (TDictionary)(object)dictionary;
    }
}
