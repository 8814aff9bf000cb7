namespace Switchboard.Runtime.Networking;

/// <summary>
/// Per-connection cache of decoded strings that repeat across messages (sender id, destination, grain type, and the
/// keys of the calls whose media flows over the connection), so the read path does not allocate them again for each
/// frame. Direct-mapped: a slot holds the last string whose bytes hashed to it, and a hit is confirmed by comparing the
/// bytes; a miss costs one extra copy of the bytes. Memory is bounded by slots x (128 bytes + the string).
/// Not thread-safe: one reader loop owns it.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int MaxCachedBytes = 128;

    private readonly byte[]?[] _bytes;
    private readonly string?[] _values;
    private readonly int _mask;

    /// <param name="slotCount">Number of slots, a power of two: a few dozen for low-cardinality fields, more for keys.</param>
    public Utf8StringCache(int slotCount)
    {
        if (slotCount <= 0 || (slotCount & (slotCount - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slotCount), slotCount, "Slot count must be a positive power of two.");
        }

        _bytes = new byte[]?[slotCount];
        _values = new string?[slotCount];
        _mask = slotCount - 1;
    }

    /// <summary>Returns the string for <paramref name="utf8"/>, decoding (strictly) only on a miss.</summary>
    /// <exception cref="ProtocolException">The bytes are not valid UTF-8.</exception>
    public string GetString(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxCachedBytes)
        {
            return MessageFrameCodec.DecodeUtf8(utf8);
        }

        var slot = Slot(utf8);
        var cached = _bytes[slot];
        if (cached is not null && utf8.SequenceEqual(cached))
        {
            return _values[slot]!;
        }

        var value = MessageFrameCodec.DecodeUtf8(utf8);
        _bytes[slot] = utf8.ToArray();
        _values[slot] = value;
        return value;
    }

    // FNV-1a over at most MaxCachedBytes: cheap, and the strings that matter differ in their tails (generations).
    private int Slot(ReadOnlySpan<byte> utf8)
    {
        var hash = 2166136261u;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash ^ (hash >> 16)) & _mask;
    }
}
