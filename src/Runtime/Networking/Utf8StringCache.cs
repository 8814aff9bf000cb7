namespace Switchboard.Runtime.Networking;

/// <summary>
/// Per-connection cache of decoded strings that repeat on nearly every message (sender id, destination, grain type),
/// so the read path does not allocate them again for each frame. Direct-mapped: a slot holds the last string whose
/// bytes hashed to it, and a hit is confirmed by comparing the bytes. Not thread-safe: one reader loop owns it.
/// Low-cardinality fields only; grain keys would churn it and cost an extra copy per miss.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int SlotCount = 64;
    private const int MaxCachedBytes = 128;

    private readonly byte[]?[] _bytes = new byte[]?[SlotCount];
    private readonly string?[] _values = new string?[SlotCount];

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
    private static int Slot(ReadOnlySpan<byte> utf8)
    {
        var hash = 2166136261u;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)((hash ^ (hash >> 16)) % SlotCount);
    }
}
