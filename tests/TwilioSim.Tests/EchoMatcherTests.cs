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
    public void OnEcho_ALaterFrameAfterALostRun_CountsTheRunAsLostNotMismatched()
    {
        var matcher = Create(frames: 4);
        var frames = Enumerable.Range(0, 4).Select(i => Frame0(matcher, i)).ToArray();
        for (var i = 0; i < 4; i++)
        {
            matcher.RecordSent(i);
        }

        matcher.OnEcho(frames[0]);
        matcher.OnEcho(frames[3]);

        Assert.Equal(0, matcher.MismatchedBytes);
        Assert.Equal(2 * Frame, matcher.SkippedBytes);
        Assert.Equal(2 * Frame, matcher.Lost);
    }

    [Fact]
    public void OnEcho_AnEarlierFrameAfterALaterOne_CountsReorderingAsMismatched()
    {
        var matcher = Create(frames: 4);
        var frames = Enumerable.Range(0, 4).Select(i => Frame0(matcher, i)).ToArray();
        for (var i = 0; i < 4; i++)
        {
            matcher.RecordSent(i);
        }

        matcher.OnEcho(frames[0]);
        matcher.OnEcho(frames[2]);
        matcher.OnEcho(frames[1]);

        Assert.True(matcher.MismatchedBytes > 0, "a frame echoed after a later one is reordering, not loss");
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
    public void EchoResumedAfter_FrameAfterInstantNotEchoed_IsNull()
    {
        var matcher = Create(frames: 4);
        var sent = SendFrames(matcher, 2, TimeSpan.FromMilliseconds(20));
        long instant = _time.GetTimestamp();
        matcher.RecordSent(2);
        _time.Advance(TimeSpan.FromMilliseconds(20));

        matcher.OnEcho(sent.AsSpan(0, 2 * Frame)); // frames before the instant only

        Assert.Null(matcher.EchoResumedAfter(instant));
    }

    [Fact]
    public void EchoResumedAfter_NoFrameSentAfterInstant_IsNull()
    {
        var matcher = Create(frames: 4);
        var sent = SendFrames(matcher, 2, TimeSpan.FromMilliseconds(20));
        matcher.OnEcho(sent.AsSpan(0, 2 * Frame));
        _time.Advance(TimeSpan.FromMilliseconds(5));

        Assert.Null(matcher.EchoResumedAfter(_time.GetTimestamp()));
    }

    [Fact]
    public void EchoResumedAfter_StallAcrossInstant_IsTimeUntilFirstLaterFrameIsEchoed()
    {
        var matcher = Create(frames: 10);
        var audio = AllFrames(matcher, 10);
        matcher.RecordSent(0);
        matcher.RecordSent(1);
        long instant = _time.GetTimestamp() + 1; // "the kill", just after frames 0 and 1 left
        _time.Advance(TimeSpan.FromMilliseconds(20));
        matcher.RecordSent(2);                       // first frame sent after the instant
        _time.Advance(TimeSpan.FromMilliseconds(500));
        matcher.OnEcho(audio.AsSpan(0, 2 * Frame)); // held frames 0-1 come back first
        _time.Advance(TimeSpan.FromMilliseconds(100));
        matcher.OnEcho(audio.AsSpan(2 * Frame, Frame)); // frame 2 at +620 ms

        var resumed = matcher.EchoResumedAfter(instant);
        Assert.NotNull(resumed);
        Assert.InRange(resumed.Value, TimeSpan.FromMilliseconds(620) - TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(620));
    }

    [Fact]
    public void EchoResumedAfter_FramesAtTheInstantLost_IsTimeUntilTheFirstLaterFrameCameBack()
    {
        var matcher = Create(frames: 10);
        var audio = AllFrames(matcher, 10);
        matcher.RecordSent(0);
        long instant = _time.GetTimestamp() + 1; // "the kill", just after frame 0 left
        for (int i = 1; i <= 4; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            matcher.RecordSent(i);
        }

        _time.Advance(TimeSpan.FromMilliseconds(300));
        matcher.OnEcho(audio.AsSpan(0, Frame));             // frame 0 came back; frames 1-2 died with the silo
        _time.Advance(TimeSpan.FromMilliseconds(100));
        matcher.OnEcho(audio.AsSpan(3 * Frame, 2 * Frame)); // frames 3-4, in order, at +480 ms

        Assert.Equal(2 * Frame, matcher.SkippedBytes);
        var resumed = matcher.EchoResumedAfter(instant);
        Assert.NotNull(resumed);
        Assert.InRange(resumed.Value, TimeSpan.FromMilliseconds(480) - TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(480));
    }

    [Fact]
    public void LongestGap_StallWhileStreaming_IsLongestIntervalBetweenEchoes()
    {
        var matcher = Create(frames: 10);
        var audio = AllFrames(matcher, 10);
        matcher.RecordSent(0);
        matcher.OnEcho(audio.AsSpan(0, Frame));
        _time.Advance(TimeSpan.FromMilliseconds(20));
        matcher.RecordSent(1);
        matcher.OnEcho(audio.AsSpan(Frame, Frame));
        _time.Advance(TimeSpan.FromMilliseconds(700)); // stall
        matcher.RecordSent(2);
        matcher.OnEcho(audio.AsSpan(2 * Frame, Frame));
        _time.Advance(TimeSpan.FromMilliseconds(20));
        matcher.RecordSent(3);
        matcher.OnEcho(audio.AsSpan(3 * Frame, Frame));

        Assert.Equal(TimeSpan.FromMilliseconds(700), matcher.LongestGap);
        Assert.Equal(matcher.FirstSentAt + TimeSpan.FromMilliseconds(20).Ticks, matcher.LongestGapStartedAt); // fake time: 1 tick per timestamp unit
    }

    [Fact]
    public void LongestGap_StallStillOpenWhileStreaming_CountsOpenGap()
    {
        var matcher = Create(frames: 10);
        var audio = AllFrames(matcher, 10);
        matcher.RecordSent(0);
        matcher.OnEcho(audio.AsSpan(0, Frame));

        long lastEcho = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromMilliseconds(300));

        Assert.Equal(TimeSpan.FromMilliseconds(300), matcher.LongestGap);
        Assert.Equal(lastEcho, matcher.LongestGapStartedAt);
    }

    [Fact]
    public void LongestGap_StallPastEndOfStreaming_CountsOnlyUpToTheLastFrame()
    {
        var matcher = Create(frames: 2);
        var audio = AllFrames(matcher, 2);
        matcher.RecordSent(0);
        matcher.OnEcho(audio.AsSpan(0, Frame));
        _time.Advance(TimeSpan.FromMilliseconds(20));
        matcher.RecordSent(1); // last frame: streaming ends here, 20 ms after the last echo
        _time.Advance(TimeSpan.FromMilliseconds(900));

        matcher.OnEcho(audio.AsSpan(Frame, Frame));

        // The tail after the last frame (an application flushing its last chunk on stop) is not a continuity gap.
        Assert.True(matcher.StreamingEnded);
        Assert.Equal(TimeSpan.FromMilliseconds(20), matcher.LongestGap);
    }

    [Fact]
    public void LongestGap_StallFromMidStreamPastTheEnd_CountsUpToTheLastFrame()
    {
        var matcher = Create(frames: 3);
        var audio = AllFrames(matcher, 3);
        matcher.RecordSent(0);
        matcher.OnEcho(audio.AsSpan(0, Frame));
        _time.Advance(TimeSpan.FromMilliseconds(400)); // the server stalls from here
        matcher.RecordSent(1);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        matcher.RecordSent(2); // last frame, 700 ms into the stall
        _time.Advance(TimeSpan.FromSeconds(2));

        matcher.OnEcho(audio.AsSpan(Frame, 2 * Frame));

        Assert.Equal(TimeSpan.FromMilliseconds(700), matcher.LongestGap);
    }

    [Fact]
    public void LongestGap_GapsAfterStreamingEnded_NotCounted()
    {
        var matcher = Create(frames: 2);
        var audio = AllFrames(matcher, 2);
        matcher.RecordSent(0);
        matcher.RecordSent(1);
        matcher.OnEcho(audio.AsSpan(0, Frame));
        _time.Advance(TimeSpan.FromSeconds(2)); // drain: the tail may take its time

        matcher.OnEcho(audio.AsSpan(Frame, Frame));

        Assert.Equal(TimeSpan.Zero, matcher.LongestGap);
    }

    [Fact]
    public void LongestGap_CallEndedEarlyWithoutEcho_CountsTimeSinceFirstFrame()
    {
        var matcher = Create(frames: 10);
        matcher.RecordSent(0);
        _time.Advance(TimeSpan.FromMilliseconds(20));
        matcher.RecordSent(1);
        _time.Advance(TimeSpan.FromMilliseconds(400));

        matcher.EndStreaming();
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromMilliseconds(420), matcher.LongestGap);
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

    private byte[] SendFrames(EchoMatcher matcher, int count, TimeSpan interval)
    {
        var sent = AllFrames(matcher, count);
        for (int i = 0; i < count; i++)
        {
            matcher.RecordSent(i);
            _time.Advance(interval);
        }

        return sent;
    }

    private static byte[] AllFrames(EchoMatcher matcher, int count)
    {
        var audio = new byte[count * Frame];
        for (int i = 0; i < count; i++)
        {
            matcher.CopyFrame(i, audio.AsSpan(i * Frame, Frame));
        }

        return audio;
    }

    private EchoMatcher Create(int frames) => new(_audio, frames, Frame, _histogram, _time);

    private static byte[] Frame0(EchoMatcher matcher, int index)
    {
        var frame = new byte[Frame];
        matcher.CopyFrame(index, frame);
        return frame;
    }
}
