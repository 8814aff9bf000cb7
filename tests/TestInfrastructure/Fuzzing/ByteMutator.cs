namespace Switchboard.TestInfrastructure.Fuzzing;

/// <summary>
/// Seeded, reproducible byte-level mutations for fuzz tests: truncation, bit flips, byte overwrites with interesting
/// values, insertions, deletions, duplicated and spliced slices. The same seed always yields the same sequence, so a
/// failing case is reported by its seed and index and can be replayed.
/// </summary>
public sealed class ByteMutator(int seed)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', 0xC0, 0xED, 0xF4];

    public Random Random { get; } = new(seed);

    /// <summary>The kinds of mutation, in the order <see cref="Mutate(ReadOnlySpan{byte}, MutationKind)"/> knows them.</summary>
    public enum MutationKind
    {
        Truncate,
        FlipBits,
        OverwriteBytes,
        InsertBytes,
        DeleteRange,
        DuplicateRange,
        Splice,
    }

    /// <summary>One to three stacked mutations of <paramref name="input"/> (a fresh array; the input is not changed).</summary>
    public byte[] Mutate(ReadOnlySpan<byte> input, ReadOnlySpan<byte> other = default)
    {
        var bytes = input.ToArray();
        var rounds = Random.Next(1, 4);
        for (var i = 0; i < rounds; i++)
        {
            bytes = Mutate(bytes, (MutationKind)Random.Next(0, 7), other);
        }

        return bytes;
    }

    public byte[] Mutate(ReadOnlySpan<byte> input, MutationKind kind, ReadOnlySpan<byte> other = default)
    {
        var bytes = input.ToArray();
        switch (kind)
        {
            case MutationKind.Truncate:
                return bytes[..Random.Next(0, bytes.Length + 1)];
            case MutationKind.FlipBits when bytes.Length > 0:
                for (var n = Random.Next(1, 9); n > 0; n--)
                {
                    var bit = Random.Next(bytes.Length * 8);
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                return bytes;
            case MutationKind.OverwriteBytes when bytes.Length > 0:
                for (var n = Random.Next(1, 5); n > 0; n--)
                {
                    bytes[Random.Next(bytes.Length)] = Random.Next(2) == 0 ? Interesting[Random.Next(Interesting.Length)] : (byte)Random.Next(256);
                }

                return bytes;
            case MutationKind.InsertBytes:
            {
                var at = Random.Next(bytes.Length + 1);
                var inserted = new byte[Random.Next(1, 17)];
                for (var i = 0; i < inserted.Length; i++)
                {
                    inserted[i] = Random.Next(2) == 0 ? Interesting[Random.Next(Interesting.Length)] : (byte)Random.Next(256);
                }

                return [.. bytes[..at], .. inserted, .. bytes[at..]];
            }

            case MutationKind.DeleteRange when bytes.Length > 0:
            {
                var at = Random.Next(bytes.Length);
                var length = Random.Next(1, Math.Min(32, bytes.Length - at) + 1);
                return [.. bytes[..at], .. bytes[(at + length)..]];
            }

            case MutationKind.DuplicateRange when bytes.Length > 0:
            {
                var at = Random.Next(bytes.Length);
                var length = Random.Next(1, Math.Min(64, bytes.Length - at) + 1);
                var slice = bytes[at..(at + length)];
                var copies = Random.Next(1, 8);
                var result = new List<byte>(bytes.Length + (slice.Length * copies));
                result.AddRange(bytes[..(at + length)]);
                for (var c = 0; c < copies; c++)
                {
                    result.AddRange(slice);
                }

                result.AddRange(bytes[(at + length)..]);
                return [.. result];
            }

            case MutationKind.Splice when other.Length > 0:
            {
                var cut = Random.Next(bytes.Length + 1);
                var from = Random.Next(other.Length + 1);
                return [.. bytes[..cut], .. other[from..]];
            }

            default:
                return bytes;
        }
    }
}
