namespace Switchboard.TwilioSim.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentile_Empty_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, new LatencyHistogram().Percentile(0.5));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    public void Percentile_OutOfRange_Throws(double quantile)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyHistogram().Percentile(quantile));
    }

    [Fact]
    public void Reset_AfterSlowSamples_PercentilesCoverOnlyLaterSamples()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.FromSeconds(2));

        histogram.Reset();
        histogram.Record(TimeSpan.FromMilliseconds(5));

        Assert.Equal(1, histogram.Count);
        Assert.True(histogram.Max < TimeSpan.FromMilliseconds(6), $"max {histogram.Max}");
        Assert.True(histogram.Percentile(0.99) < TimeSpan.FromMilliseconds(6), $"p99 {histogram.Percentile(0.99)}");
    }

    [Fact]
    public void Percentile_UniformMilliseconds_WithinBucketPrecision()
    {
        var histogram = new LatencyHistogram();
        for (int ms = 1; ms <= 100; ms++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        AssertClose(50, histogram.Percentile(0.50).TotalMilliseconds);
        AssertClose(90, histogram.Percentile(0.90).TotalMilliseconds);
        AssertClose(99, histogram.Percentile(0.99).TotalMilliseconds);
        Assert.Equal(100, histogram.Max.TotalMilliseconds);
        Assert.Equal(100, histogram.Count);
    }

    [Fact]
    public void Merge_TwoHistograms_CombinesCountsAndMax()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        a.Record(TimeSpan.FromMilliseconds(10));
        b.Record(TimeSpan.FromMilliseconds(300));

        a.Merge(b);

        Assert.Equal(2, a.Count);
        Assert.Equal(300, a.Max.TotalMilliseconds);
        AssertClose(300, a.Percentile(1.0).TotalMilliseconds);
    }

    [Fact]
    public void BucketRange_EveryIndex_ContainsValuesMappingBackToIt()
    {
        for (long micros = 0; micros < 5_000_000; micros = (micros * 11 / 10) + 1)
        {
            int index = LatencyHistogram.IndexOf(micros);
            var (low, width) = LatencyHistogram.BucketRange(index);
            Assert.InRange(micros, low, low + width - 1);
        }
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.InRange(actual, expected * 0.98, expected * 1.02);
}
