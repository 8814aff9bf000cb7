namespace Switchboard.TwilioSim;

/// <summary>
/// G.711 μ-law encoder (the reference "14-bit magnitude + bias" formulation): a 16-bit linear PCM sample is
/// reduced to 14 bits, biased by 33, split into a 3-bit segment and a 4-bit mantissa, and the result is
/// bit-inverted. Silence (0) encodes to 0xFF; full scale clips to 0x80 / 0x00.
/// </summary>
internal static class MuLawEncoder
{
    private const int Bias = 0x21;
    private const int Clip = 8159;

    /// <summary>Encodes one 16-bit linear sample.</summary>
    public static byte Encode(short sample)
    {
        int magnitude = sample >> 2;
        int mask;
        if (magnitude < 0)
        {
            magnitude = -magnitude;
            mask = 0x7F;
        }
        else
        {
            mask = 0xFF;
        }

        if (magnitude > Clip)
        {
            magnitude = Clip;
        }

        magnitude += Bias;

        // Segment = index of the first upper bound 0x3F, 0x7F, ... 0x1FFF that the biased magnitude does not exceed.
        int segment = 0;
        for (int bound = 0x3F; segment < 8 && magnitude > bound; bound = (bound << 1) | 1)
        {
            segment++;
        }

        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        int value = (segment << 4) | ((magnitude >> (segment + 1)) & 0x0F);
        return (byte)(value ^ mask);
    }

    /// <summary>Encodes a buffer of samples into <paramref name="destination"/> (same length).</summary>
    public static void Encode(ReadOnlySpan<short> samples, Span<byte> destination)
    {
        if (destination.Length < samples.Length)
        {
            throw new ArgumentException("Destination is shorter than the sample buffer.", nameof(destination));
        }

        for (int i = 0; i < samples.Length; i++)
        {
            destination[i] = Encode(samples[i]);
        }
    }
}
