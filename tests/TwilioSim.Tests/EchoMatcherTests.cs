using Microsoft.Extensions.Time.Testing;

namespace Switchboard.TwilioSim.Tests;

public sealed class EchoMatcherTests
{
    private const int Frame = 160;
    private readonly FakeTimeProvider _time = new();
    private readonly LatencyHistogram _histogram = new();
    private readonly byte[] _audio = Enumerable.Range(0, 500).Select(i => (byte)(i % 251)).ToArray();

    [Fact]
    public void OnEcho_ReorderedBytes_CountsMismatches()
    {
        var matcher = Create(frames: 2);
        var frame0 = Frame0(matcher, 0);
        matcher.RecordSent(0);
        (frame0[0], frame0[1]) = (frame0[1], frame0[0]);

        matcher.OnEcho(frame0);

        Assert.Equal(2, matcher.MismatchedBytes);
        Assert.Equal(0, matcher.Lost);
    }

    [Fact]
    public void OnEcho_MoreThanSent_CountsExtraAsMismatchedWithoutRoundTrip()
    {
        var matcher = Create(frames: 2);
        var frame0 = Frame0(matcher, 0);
        matcher.RecordSent(0);

        var rtt = matcher.OnEcho([.. frame0, 1, 2, 3]);

        Assert.Null(rtt);
        Assert.Equal(3, matcher.MismatchedBytes);
        Assert.Equal(0, matcher.RoundTrips);
    }

    [Fact]
    public void Lost_PartialEcho_IsSentMinusEchoed()
    {
        var matcher = Create(frames: 3);
        matcher.RecordSent(0);
        matcher.RecordSent(1);
        var both = new byte[2 * Frame];
        matcher.CopyFrame(0, both.AsSpan(0, Frame));

        matcher.OnEcho(both.AsSpan(0, 100));

        Assert.Equal(2 * Frame, matcher.BytesSent);
        Assert.Equal(2 * Frame - 100, matcher.Lost);
        Assert.Equal(0, matcher.MismatchedBytes);
    }

    [Fact]
    public void RecordSent_OutOfOrder_Throws()
    {
        var matcher = Create(frames: 3);

        Assert.Throws<InvalidOperationException>(() => matcher.RecordSent(1));
    }

    [Fact]
    public void OnEcho_SpanningFrames_AttributesRttToFrameOfLastByte()
    {
        var matcher = Create(frames: 3);
        var sent = new byte[3 * Frame];
        for (int i = 0; i < 3; i++)
        {
            matcher.CopyFrame(i, sent.AsSpan(i * Frame, Frame));
            matcher.RecordSent(i);
            _time.Advance(TimeSpan.FromMilliseconds(20)); // frame i sent at t = 20·i ms
        }

        // Now t = 60 ms. Bytes [0, 200) end in frame 1 (sent at 20 ms): RTT 40 ms.
        var first = matcher.OnEcho(sent.AsSpan(0, 200));
        _time.Advance(TimeSpan.FromMilliseconds(5));
        // Bytes [200, 480) end in frame 2 (sent at 40 ms), received at 65 ms: RTT 25 ms.
        var second = matcher.OnEcho(sent.AsSpan(200));

        Assert.Equal(TimeSpan.FromMilliseconds(40), first);
        Assert.Equal(TimeSpan.FromMilliseconds(25), second);
        Assert.Equal(0, matcher.MismatchedBytes);
        Assert.Equal(0, matcher.Lost);
        Assert.Equal(2, _histogram.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(40), _histogram.Max);
    }

    [Fact]
    public void CopyFrame_PastEndOfAudio_WrapsAround()
    {
        var matcher = Create(frames: 4);
        var frame = new byte[Frame];

        matcher.CopyFrame(3, frame); // bytes 480..639 → audio[480..499] + audio[0..139]

        Assert.Equal(_audio[480..500], frame[..20]);
        Assert.Equal(_audio[..140], frame[20..]);
    }

    private EchoMatcher Create(int frames) => new(_audio, frames, Frame, _histogram, _time);

    private static byte[] Frame0(EchoMatcher matcher, int index)
    {
        var frame = new byte[Frame];
        matcher.CopyFrame(index, frame);
        return frame;
    }
}
