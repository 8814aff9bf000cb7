using Microsoft.Extensions.Time.Testing;
using Switchboard.Grains.Connection;

namespace Switchboard.Grains.Tests.Connection;

public class TokenBucketTests
{
    [Fact]
    public void TryTake_BurstExhausted_Refuses()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(time, refillPerSecond: 100, capacity: 200);

        for (var i = 0; i < 200; i++)
        {
            Assert.True(bucket.TryTake(), $"take {i} of the burst");
        }

        Assert.False(bucket.TryTake());
    }

    [Fact]
    public void TryTake_AfterRefillTime_AcceptsRefilledTokensOnly()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(time, refillPerSecond: 100, capacity: 200);
        Drain(bucket);

        time.Advance(TimeSpan.FromMilliseconds(50));

        var taken = Drain(bucket);
        Assert.Equal(5, taken);
    }

    [Fact]
    public void TryTake_LongIdle_RefillsOnlyUpToCapacity()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(time, refillPerSecond: 100, capacity: 200);
        Drain(bucket);

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(200, Drain(bucket));
    }

    [Fact]
    public void TryTake_SteadyRateAtRefill_NeverRefuses()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(time, refillPerSecond: 100, capacity: 200);
        Drain(bucket);

        for (var i = 0; i < 1000; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            Assert.True(bucket.TryTake(), $"message {i} at the refill rate");
        }
    }

    [Fact]
    public void TryTake_FractionalRefill_AccumulatesAcrossCalls()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(time, refillPerSecond: 100, capacity: 1);
        Assert.True(bucket.TryTake());

        time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.False(bucket.TryTake());
        time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.False(bucket.TryTake());
        time.Advance(TimeSpan.FromMilliseconds(2));

        Assert.True(bucket.TryTake());
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(-1, 10)]
    [InlineData(10, 0.5)]
    public void Constructor_InvalidArguments_Throws(double refill, double capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(new FakeTimeProvider(), refill, capacity));
    }

    private static int Drain(TokenBucket bucket)
    {
        var taken = 0;
        while (taken < 100_000 && bucket.TryTake())
        {
            taken++;
        }

        return taken;
    }
}
