using Microsoft.Extensions.Time.Testing;

namespace Switchboard.TwilioSim.Tests;

public sealed class PlaybackClockTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<string> _due = [];

    [Fact]
    public void TakeDueMarks_BeforeAudioPlayed_ReturnsNothing()
    {
        var clock = new PlaybackClock(_time);
        clock.EnqueueAudio(800); // 100 ms
        clock.EnqueueMark("a");

        _time.Advance(TimeSpan.FromMilliseconds(99));

        Assert.Equal(0, clock.TakeDueMarks(_due));
        Assert.Equal(1, clock.PendingMarks);
    }

    [Fact]
    public void TakeDueMarks_AfterAudioPlayed_ReturnsMark()
    {
        var clock = new PlaybackClock(_time);
        clock.EnqueueAudio(800);
        clock.EnqueueMark("a");

        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(1, clock.TakeDueMarks(_due));
        Assert.Equal(["a"], _due);
        Assert.Equal(0, clock.PendingMarks);
    }

    [Fact]
    public void EnqueueMark_NothingBuffered_IsDueImmediately()
    {
        var clock = new PlaybackClock(_time);
        clock.EnqueueAudio(160);
        _time.Advance(TimeSpan.FromMilliseconds(50));

        clock.EnqueueMark("now");

        Assert.Equal(1, clock.TakeDueMarks(_due));
        Assert.Equal(["now"], _due);
    }

    [Fact]
    public void Clear_PendingMarks_AllDueAtOnceAndAudioDropped()
    {
        var clock = new PlaybackClock(_time);
        clock.EnqueueAudio(8000);
        clock.EnqueueMark("a");
        clock.EnqueueAudio(8000);
        clock.EnqueueMark("b");
        _time.Advance(TimeSpan.FromMilliseconds(10));

        clock.Clear();

        Assert.Equal(TimeSpan.Zero, clock.Buffered);
        Assert.Equal(2, clock.TakeDueMarks(_due));
        Assert.Equal(["a", "b"], _due);
    }

    [Fact]
    public void EnqueueAudio_AfterIdleGap_PlaybackStartsWhenAudioArrives()
    {
        var clock = new PlaybackClock(_time);
        clock.EnqueueAudio(160); // 20 ms, finishes at t=20
        _time.Advance(TimeSpan.FromSeconds(1));

        clock.EnqueueAudio(160); // plays t=1000..1020, not t=20..40
        clock.EnqueueMark("late");
        _time.Advance(TimeSpan.FromMilliseconds(19));
        Assert.Equal(0, clock.TakeDueMarks(_due));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, clock.TakeDueMarks(_due));
    }

    [Fact]
    public void TakeDueMarks_MarksInterleavedWithAudio_ComeDueInOrderAsPlaybackPasses()
    {
        var clock = new PlaybackClock(_time);
        clock.EnqueueAudio(160);
        clock.EnqueueMark("first");
        clock.EnqueueAudio(160);
        clock.EnqueueMark("second");
        Assert.Equal(TimeSpan.FromMilliseconds(40), clock.Buffered);

        _time.Advance(TimeSpan.FromMilliseconds(20));
        clock.TakeDueMarks(_due);
        Assert.Equal(["first"], _due);

        _time.Advance(TimeSpan.FromMilliseconds(20));
        clock.TakeDueMarks(_due);
        Assert.Equal(["first", "second"], _due);
    }
}
