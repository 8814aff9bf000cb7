using Switchboard.Grains.Applications;
using Switchboard.Grains.Connection;

namespace Switchboard.Grains.Tests.Connection;

public class OutboundQueueTests
{
    [Fact]
    public void TryEnqueueMedia_OverBound_RefusedNothingQueuedBufferedUnchanged()
    {
        var queue = new OutboundQueue(TimeSpan.FromMilliseconds(100), 8);
        Assert.True(queue.TryEnqueueMedia(600));

        Assert.False(queue.TryEnqueueMedia(201));

        Assert.Equal(75, queue.BufferedMs);
        Assert.Equal(600, queue.BytesSent);
        Assert.Equal(1, queue.Rejected);
    }

    [Fact]
    public void TryEnqueueMedia_ExactlyAtBound_Accepted()
    {
        var queue = new OutboundQueue(TimeSpan.FromMilliseconds(100), 8);

        Assert.True(queue.TryEnqueueMedia(800));

        Assert.Equal(100, queue.BufferedMs);
        Assert.False(queue.TryEnqueueMedia(1));
    }

    [Fact]
    public void TryEnqueueMark_FifoFull_Refused()
    {
        var queue = new OutboundQueue(TimeSpan.FromSeconds(1), 2);
        Assert.True(queue.TryEnqueueMark("a"));
        Assert.True(queue.TryEnqueueMark("b"));

        Assert.False(queue.TryEnqueueMark("c"));

        Assert.Equal(2, queue.PendingMarks);
        Assert.Equal(1, queue.Rejected);
    }

    [Fact]
    public void OnMarkEcho_NoPendingMark_UnexpectedAndNothingChanges()
    {
        var queue = new OutboundQueue(TimeSpan.FromSeconds(1), 8);
        queue.TryEnqueueMedia(160);

        var result = queue.OnMarkEcho("ghost");

        Assert.Equal(MarkOutcome.Unexpected, result.Outcome);
        Assert.Equal(1, queue.UnexpectedEchoes);
        Assert.Equal(20, queue.BufferedMs);
    }

    [Fact]
    public void OnMarkEcho_NameNotInFifo_UnexpectedAndFifoKept()
    {
        var queue = new OutboundQueue(TimeSpan.FromSeconds(1), 8);
        queue.TryEnqueueMark("a");

        Assert.Equal(MarkOutcome.Unexpected, queue.OnMarkEcho("z").Outcome);
        Assert.Equal(MarkOutcome.Unexpected, queue.OnMarkEcho(null).Outcome);

        Assert.Equal(1, queue.PendingMarks);
        Assert.Equal(2, queue.UnexpectedEchoes);
    }

    [Fact]
    public void OnMarkEcho_LaterEntryEchoedFirst_PopsThroughItAndCountsSkipped()
    {
        var queue = new OutboundQueue(TimeSpan.FromSeconds(1), 8);
        queue.TryEnqueueMedia(80);
        queue.TryEnqueueMark("a");
        queue.TryEnqueueMedia(80);
        queue.TryEnqueueMark("b");
        queue.TryEnqueueMedia(80);
        queue.TryEnqueueMark("c");
        queue.TryEnqueueMedia(80);

        var result = queue.OnMarkEcho("b");

        Assert.Equal(MarkOutcome.Played, result.Outcome);
        Assert.Equal([("a", MarkOutcome.Played)], result.Skipped);
        Assert.Equal(1, queue.UnexpectedEchoes);
        Assert.Equal(1, queue.PendingMarks);
        Assert.Equal(2, queue.MarksPlayed);
        Assert.Equal(20, queue.BufferedMs);
    }

    [Fact]
    public void OnMarkEcho_AfterClear_PendingMarksAreClearedNotPlayed()
    {
        var queue = new OutboundQueue(TimeSpan.FromSeconds(1), 8);
        queue.TryEnqueueMedia(400);
        queue.TryEnqueueMark("m1");
        queue.TryEnqueueMedia(400);
        queue.TryEnqueueMark("m2");

        queue.Clear();

        Assert.Equal(0, queue.BufferedMs);
        Assert.Equal(MarkOutcome.Cleared, queue.OnMarkEcho("m1").Outcome);
        Assert.Equal(MarkOutcome.Cleared, queue.OnMarkEcho("m2").Outcome);
        Assert.Equal(0, queue.MarksPlayed);
        Assert.Equal(2, queue.MarksCleared);
        Assert.Equal(0, queue.PendingMarks);
    }

    [Fact]
    public void OnMarkEcho_MarkQueuedAfterClear_IsPlayed()
    {
        var queue = new OutboundQueue(TimeSpan.FromSeconds(1), 8);
        queue.TryEnqueueMedia(400);
        queue.TryEnqueueMark("old");
        queue.Clear();
        queue.TryEnqueueMedia(160);
        queue.TryEnqueueMark("new");

        Assert.Equal(MarkOutcome.Cleared, queue.OnMarkEcho("old").Outcome);
        Assert.Equal(20, queue.BufferedMs);
        Assert.Equal(MarkOutcome.Played, queue.OnMarkEcho("new").Outcome);

        Assert.Equal(0, queue.BufferedMs);
        Assert.Equal(1, queue.MarksPlayed);
        Assert.Equal(1, queue.MarksCleared);
        Assert.Equal(1, queue.Clears);
    }

    [Fact]
    public void OnMarkEcho_Played_ReleasesOnlyAudioBeforeTheMark()
    {
        var queue = new OutboundQueue(TimeSpan.FromSeconds(1), 8);
        queue.TryEnqueueMedia(400);
        queue.TryEnqueueMark("m1");
        queue.TryEnqueueMedia(240);

        Assert.Equal(80, queue.BufferedMs);
        Assert.Equal(MarkOutcome.Played, queue.OnMarkEcho("m1").Outcome);

        Assert.Equal(30, queue.BufferedMs);
    }

    [Fact]
    public void TryEnqueueMedia_AfterPlayedEcho_RoomIsReusable()
    {
        var queue = new OutboundQueue(TimeSpan.FromMilliseconds(100), 8);
        queue.TryEnqueueMedia(800);
        queue.TryEnqueueMark("full");
        Assert.False(queue.TryEnqueueMedia(8));

        queue.OnMarkEcho("full");

        Assert.True(queue.TryEnqueueMedia(800));
    }

    [Fact]
    public void Reset_PendingMarks_ReturnsNamesInOrderAndEmptiesQueue()
    {
        var queue = new OutboundQueue(TimeSpan.FromSeconds(1), 8);
        queue.TryEnqueueMedia(160);
        queue.TryEnqueueMark("x");
        queue.TryEnqueueMark("y");

        var dropped = queue.Reset();

        Assert.Equal(["x", "y"], dropped);
        Assert.Equal(0, queue.PendingMarks);
        Assert.Equal(0, queue.BufferedMs);
    }
}
