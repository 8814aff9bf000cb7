using Switchboard.Grains.Connection;

namespace Switchboard.Grains.Tests.Connection;

public class SequenceTrackerTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(long.MinValue)]
    public void Observe_NonPositive_IsInvalidAndChangesNothingElse(long number)
    {
        var tracker = Started(3);

        Assert.Equal(SequenceObservation.Invalid, tracker.Observe(number));

        Assert.Equal(1, tracker.Invalid);
        Assert.Equal(3, tracker.Highest);
        Assert.Equal(0, tracker.Gaps + tracker.Duplicates + tracker.Reordered + tracker.Stale);
    }

    [Fact]
    public void Observe_SameNumberTwice_CountsDuplicate()
    {
        var tracker = Started(5);

        Assert.Equal(SequenceObservation.Duplicate, tracker.Observe(5));
        Assert.Equal(SequenceObservation.Duplicate, tracker.Observe(3));

        Assert.Equal(2, tracker.Duplicates);
        Assert.Equal(0, tracker.Gaps);
        Assert.Equal(0, tracker.Reordered);
    }

    [Fact]
    public void Observe_SkippedNumbers_CountsEachMissingNumberAsGap()
    {
        var tracker = Started(2);

        Assert.Equal(SequenceObservation.Gap, tracker.Observe(6));

        Assert.Equal(3, tracker.Gaps);
        Assert.Equal(6, tracker.Highest);
    }

    [Fact]
    public void Observe_LateArrivalOfMissingNumber_IsReorderedNotDuplicate()
    {
        var tracker = Started(2);
        tracker.Observe(5);

        Assert.Equal(SequenceObservation.Reordered, tracker.Observe(3));
        Assert.Equal(SequenceObservation.Reordered, tracker.Observe(4));
        Assert.Equal(SequenceObservation.Duplicate, tracker.Observe(4));

        Assert.Equal(2, tracker.Gaps);
        Assert.Equal(2, tracker.Reordered);
        Assert.Equal(1, tracker.Duplicates);
    }

    [Fact]
    public void Observe_OlderThanWindow_IsStale()
    {
        var tracker = Started(1);
        tracker.Observe(SequenceTracker.WindowSize + 10);

        Assert.Equal(SequenceObservation.Stale, tracker.Observe(5));

        Assert.Equal(1, tracker.Stale);
        Assert.Equal(0, tracker.Reordered);
    }

    [Fact]
    public void Observe_BelowFirstTrackedNumber_IsStale()
    {
        var tracker = new SequenceTracker();
        tracker.Observe(100);

        Assert.Equal(SequenceObservation.Stale, tracker.Observe(99));
    }

    [Fact]
    public void Observe_HugeJump_CountsGapsWithoutTimeOrMemoryBlowUp()
    {
        var tracker = Started(1);

        Assert.Equal(SequenceObservation.Gap, tracker.Observe(long.MaxValue));

        Assert.Equal(long.MaxValue - 2, tracker.Gaps);
        Assert.Equal(SequenceObservation.Duplicate, tracker.Observe(long.MaxValue));
        Assert.Equal(SequenceObservation.Reordered, tracker.Observe(long.MaxValue - 1));
    }

    [Fact]
    public void Observe_WindowWrapsAround_ForgetsOldBitsForNewNumbers()
    {
        // A number seen long ago occupies the same ring slot as a newer missing number; the newer one must read as
        // reordered, not duplicate.
        var tracker = Started(1);
        for (long n = 2; n <= SequenceTracker.WindowSize; n++)
        {
            Assert.Equal(SequenceObservation.InOrder, tracker.Observe(n));
        }

        var missing = SequenceTracker.WindowSize + 1;
        tracker.Observe(missing + 1);

        Assert.Equal(SequenceObservation.Reordered, tracker.Observe(missing));
        Assert.Equal(1, tracker.Gaps);
        Assert.Equal(0, tracker.Duplicates);
    }

    [Fact]
    public void Observe_ConsecutiveFromStart_AllInOrder()
    {
        var tracker = new SequenceTracker();

        for (long n = 1; n <= 3000; n++)
        {
            Assert.Equal(SequenceObservation.InOrder, tracker.Observe(n));
        }

        Assert.Equal(3000, tracker.Highest);
        Assert.Equal(0, tracker.Gaps + tracker.Duplicates + tracker.Reordered + tracker.Stale + tracker.Invalid);
    }

    [Fact]
    public void Reset_AfterActivity_ForgetsCountersAndHistory()
    {
        var tracker = Started(3);
        tracker.Observe(3);
        tracker.Observe(9);

        tracker.Reset();

        Assert.Equal(0, tracker.Highest);
        Assert.Equal(0, tracker.Gaps + tracker.Duplicates);
        Assert.Equal(SequenceObservation.InOrder, tracker.Observe(3));
    }

    private static SequenceTracker Started(long upTo)
    {
        var tracker = new SequenceTracker();
        for (long n = 1; n <= upTo; n++)
        {
            Assert.Equal(SequenceObservation.InOrder, tracker.Observe(n));
        }

        return tracker;
    }
}
