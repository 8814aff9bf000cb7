using Switchboard.Runtime.Membership;

namespace Switchboard.Runtime.Tests.Membership;

public sealed class SuspectTimesCodecTests
{
    [Theory]
    [InlineData("garbage")]
    [InlineData("10.0.0.1:11001@1")]
    [InlineData("10.0.0.1:11001@1,not-a-time")]
    [InlineData("not-an-address,2026-03-01T12:00:00.0000000+00:00")]
    public void Decode_Corrupt_Throws(string text)
        => Assert.Throws<FormatException>(() => SuspectTimesCodec.Decode(text));

    [Fact]
    public void Encode_NoVotes_Null()
    {
        Assert.Null(SuspectTimesCodec.Encode([]));
        Assert.Empty(SuspectTimesCodec.Decode(null));
    }

    [Fact]
    public void RoundTrip_IPv4AndIPv6Voters_Preserved()
    {
        var votes = new[]
        {
            new SuspectVote(new SiloAddress("10.0.0.1", 11001, 123456), new DateTimeOffset(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero)),
            new SuspectVote(new SiloAddress("fe80::1", 11002, 7), new DateTimeOffset(2026, 3, 1, 14, 0, 0, TimeSpan.FromHours(2))),
        };

        var text = SuspectTimesCodec.Encode(votes);

        Assert.Equal("10.0.0.1:11001@123456,2026-03-01T12:00:00.1230000+00:00|fe80::1:11002@7,2026-03-01T12:00:00.0000000+00:00", text);
        Assert.Equal(votes, SuspectTimesCodec.Decode(text));
    }
}
