namespace Switchboard.TwilioSim.Tests;

public sealed class MuLawEncoderTests
{
    [Fact]
    public void Encode_DestinationTooShort_Throws()
    {
        Assert.Throws<ArgumentException>(() => MuLawEncoder.Encode(new short[4], new byte[3]));
    }

    // Expected bytes computed independently with Python's reference G.711 implementation:
    // python3 -c 'import audioop,struct; print(audioop.lin2ulaw(struct.pack("<h", v), 2).hex())'
    [Theory]
    [InlineData(0, 0xFF)]
    [InlineData(1, 0xFF)]
    [InlineData(-1, 0x7E)]
    [InlineData(100, 0xF2)]
    [InlineData(-100, 0x72)]
    [InlineData(1000, 0xCE)]
    [InlineData(-1000, 0x4E)]
    [InlineData(5000, 0xAB)]
    [InlineData(-20000, 0x0C)]
    [InlineData(32767, 0x80)]
    [InlineData(-32768, 0x00)]
    public void Encode_KnownSamples_MatchReferenceEncoder(short sample, int expected)
    {
        Assert.Equal((byte)expected, MuLawEncoder.Encode(sample));
    }

    [Fact]
    public void Encode_PositiveRamp_IsMonotonicNonIncreasing()
    {
        // μ-law codes of positive samples fall from 0xFF towards 0x80 as the magnitude grows.
        byte previous = MuLawEncoder.Encode(0);
        for (int sample = 1; sample <= short.MaxValue; sample += 7)
        {
            byte code = MuLawEncoder.Encode((short)sample);
            Assert.True(code <= previous, $"sample {sample} encoded to {code:X2} after {previous:X2}");
            Assert.True(code >= 0x80, $"sample {sample} lost its sign bit");
            previous = code;
        }
    }

    [Fact]
    public void SpeechLikeAudio_Generate_IsVariedAndHasPauses()
    {
        byte[] audio = SpeechLikeAudio.Generate(1.0);

        Assert.Equal(8000, audio.Length);
        Assert.True(audio.Distinct().Count() > 64, "generated audio should use many μ-law codes");
        Assert.Contains((byte)0xFF, audio);
    }
}
