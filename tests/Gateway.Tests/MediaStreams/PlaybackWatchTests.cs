using Microsoft.Extensions.Time.Testing;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Grains;

namespace Switchboard.Gateway.Tests.MediaStreams;

public sealed class PlaybackWatchTests
{
    // 20 ms of 8 kHz μ-law: Twilio's frame.
    private const int FrameBytes = 160;

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Overdue_ProbeNeverEchoed_GrowsFromTheTimeItsAudioCouldHavePlayed()
    {
        var watch = new PlaybackWatch(_time);

        var probe = SendAudio(watch, TimeSpan.FromSeconds(1));

        Assert.NotNull(probe);
        Assert.Equal(TimeSpan.Zero, watch.Overdue);
        // Sent all at once, the second of audio plays until now + 1 s; the probes are due as their audio ends.
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(TimeSpan.Zero, watch.Overdue);
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), watch.Overdue);
        Assert.Equal(2, watch.PendingProbes);
    }

    [Fact]
    public void OnMarkEcho_ApplicationMark_NotOursAndAnswersNothing()
    {
        var watch = new PlaybackWatch(_time);
        SendAudio(watch, TimeSpan.FromSeconds(1));

        Assert.False(watch.OnMarkEcho("echo-1"));
        Assert.Equal(2, watch.PendingProbes);
    }

    [Fact]
    public void OnMarkEcho_OurPrefixWithoutANumber_OursButAnswersNothing()
    {
        var watch = new PlaybackWatch(_time);
        SendAudio(watch, TimeSpan.FromSeconds(1));

        Assert.True(watch.OnMarkEcho(MarkNames.GatewayProbePrefix + "x"));
        Assert.Equal(2, watch.PendingProbes);
    }

    [Fact]
    public void OnMarkEcho_LaterProbe_AnswersEveryProbeUpToIt()
    {
        var watch = new PlaybackWatch(_time);
        SendAudio(watch, TimeSpan.FromSeconds(2));
        Assert.Equal(4, watch.PendingProbes);
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(watch.OnMarkEcho(MarkNames.GatewayProbePrefix + "3"));

        Assert.Equal(1, watch.PendingProbes);
        Assert.Equal(TimeSpan.FromSeconds(3), watch.Overdue);
    }

    [Fact]
    public void OnMediaSent_RealTimeAudio_OneProbePerIntervalAndNoneOverdueWhileEchoed()
    {
        var watch = new PlaybackWatch(_time);
        var probes = new List<string>();

        // Ten seconds of a call that talks all the time, frame by frame, the peer echoing each probe 20 ms late.
        for (var frame = 0; frame < 500; frame++)
        {
            if (watch.OnMediaSent(FrameBytes) is { } probe)
            {
                probes.Add(probe);
            }

            _time.Advance(TimeSpan.FromMilliseconds(20));
            Assert.Equal(TimeSpan.Zero, watch.Overdue);
            if (probes.Count > 0 && watch.PendingProbes > 0)
            {
                watch.OnMarkEcho(probes[^1]);
            }
        }

        Assert.Equal(20, probes.Count);
        Assert.Equal(MarkNames.GatewayProbePrefix + "1", probes[0]);
        Assert.Equal(0, watch.PendingProbes);
    }

    [Fact]
    public void OnClearSent_UnplayedAudioDropped_ProbesDueNow()
    {
        var watch = new PlaybackWatch(_time);
        SendAudio(watch, TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(TimeSpan.Zero, watch.Overdue);

        watch.OnClearSent();
        _time.Advance(TimeSpan.FromSeconds(2));

        // Twilio echoes every pending mark right after a clear: unanswered, the oldest is late from the clear on.
        Assert.Equal(TimeSpan.FromSeconds(2), watch.Overdue);
    }

    private static string? SendAudio(PlaybackWatch watch, TimeSpan audio)
    {
        string? first = null;
        for (var sent = 0; sent < audio.TotalMilliseconds * 8; sent += FrameBytes)
        {
            var probe = watch.OnMediaSent(FrameBytes);
            first ??= probe;
        }

        return first;
    }
}
