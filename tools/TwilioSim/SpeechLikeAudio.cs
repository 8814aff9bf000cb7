namespace Switchboard.TwilioSim;

/// <summary>
/// Generates the default inbound audio: a speech-like signal (a gliding 100–240 Hz "voice" fundamental with
/// decaying harmonics, shaped into ~4 syllables per second with short pauses), encoded to 8 kHz μ-law.
/// Deterministic, so runs are repeatable, and varied enough that reordered or corrupted echoes differ
/// from the bytes expected at that offset.
/// </summary>
internal static class SpeechLikeAudio
{
    /// <summary>μ-law bytes per second (8 kHz, 8-bit).</summary>
    public const int BytesPerSecond = 8000;

    /// <summary>Makes <paramref name="seconds"/> seconds of μ-law audio.</summary>
    public static byte[] Generate(double seconds = 3.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(seconds, 0);
        int length = (int)(seconds * BytesPerSecond);
        var result = new byte[length];
        double phase = 0;
        for (int i = 0; i < length; i++)
        {
            double t = (double)i / BytesPerSecond;

            // Pitch glides up and down slowly, like intonation across a phrase.
            double pitch = 170 + (70 * Math.Sin(2 * Math.PI * 0.35 * t));
            phase += 2 * Math.PI * pitch / BytesPerSecond;

            double voice = Math.Sin(phase) + (0.5 * Math.Sin(2 * phase)) + (0.25 * Math.Sin(3 * phase)) + (0.12 * Math.Sin(5 * phase));

            // Syllable envelope at ~4 Hz; every fourth syllable is a pause.
            double syllable = t * 4.0;
            double within = syllable - Math.Floor(syllable);
            bool pause = ((long)Math.Floor(syllable) % 4) == 3;
            double envelope = pause ? 0.0 : Math.Sin(Math.PI * within);

            double sample = 9000 * envelope * voice / 1.87;
            result[i] = MuLawEncoder.Encode((short)Math.Clamp(Math.Round(sample), short.MinValue, short.MaxValue));
        }

        return result;
    }
}
