using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Gateway.Edge;

namespace Switchboard.Gateway.Tests.Edge;

public class UpgradeRateLimiterTests
{
    private static readonly IPAddress Flooder = IPAddress.Parse("203.0.113.7");

    [Fact]
    public void TryAcquire_BurstExhausted_RefusesWithRetryAfterUntilNextToken()
    {
        var (limiter, _) = Create(perSecond: 2, burst: 3);

        var decisions = Enumerable.Range(0, 4).Select(_ => limiter.TryAcquire(Flooder)).ToArray();

        Assert.Equal([true, true, true, false], decisions.Select(d => d.Allowed));
        Assert.Equal(TimeSpan.FromMilliseconds(500), decisions[3].RetryAfter);
    }

    [Fact]
    public void TryAcquire_RefusedRepeatedly_OnlyFirstRefusalOfEpisodeFlagged()
    {
        var (limiter, time) = Create(perSecond: 1, burst: 1);
        limiter.TryAcquire(Flooder);

        var first = limiter.TryAcquire(Flooder);
        var second = limiter.TryAcquire(Flooder);
        time.Advance(TimeSpan.FromSeconds(1));
        var admitted = limiter.TryAcquire(Flooder);
        var nextEpisode = limiter.TryAcquire(Flooder);

        Assert.True(first.FirstRefusal);
        Assert.False(second.FirstRefusal);
        Assert.True(admitted.Allowed);
        Assert.True(nextEpisode.FirstRefusal);
    }

    [Fact]
    public void TryAcquire_AfterRefill_AllowsAgainAtTheSustainedRate()
    {
        var (limiter, time) = Create(perSecond: 10, burst: 2);
        limiter.TryAcquire(Flooder);
        limiter.TryAcquire(Flooder);
        Assert.False(limiter.TryAcquire(Flooder).Allowed);

        time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.True(limiter.TryAcquire(Flooder).Allowed);
        Assert.False(limiter.TryAcquire(Flooder).Allowed);
    }

    [Fact]
    public void TryAcquire_OneAddressFlooding_OtherAddressUnaffected()
    {
        var (limiter, _) = Create(perSecond: 1, burst: 1);
        limiter.TryAcquire(Flooder);
        Assert.False(limiter.TryAcquire(Flooder).Allowed);

        Assert.True(limiter.TryAcquire(IPAddress.Parse("198.51.100.1")).Allowed);
    }

    [Fact]
    public void TryAcquire_IPv6SameSlash64_SharesOneBucket_OtherSlash64Separate()
    {
        var (limiter, _) = Create(perSecond: 1, burst: 1);

        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:2::1")).Allowed);
        Assert.False(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:2:ffff::9")).Allowed);
        Assert.True(limiter.TryAcquire(IPAddress.Parse("2001:db8:1:3::1")).Allowed);
    }

    [Fact]
    public void TryAcquire_IPv4MappedIPv6_CountsAsTheIPv4Address()
    {
        var (limiter, _) = Create(perSecond: 1, burst: 1);

        Assert.True(limiter.TryAcquire(Flooder).Allowed);
        Assert.False(limiter.TryAcquire(Flooder.MapToIPv6()).Allowed);
    }

    [Fact]
    public void TryAcquire_Disabled_AlwaysAllowsAndTracksNothing()
    {
        var (limiter, _) = Create(perSecond: 0, burst: 1);

        Assert.All(Enumerable.Range(0, 50), _ => Assert.True(limiter.TryAcquire(Flooder).Allowed));
        Assert.Equal(0, limiter.TrackedAddresses);
    }

    [Fact]
    public void TryAcquire_ManyAddressesGoneIdle_SweptSoMemoryStaysBounded()
    {
        var (limiter, time) = Create(perSecond: 100, burst: 1);
        for (var i = 0; i < 3000; i++)
        {
            limiter.TryAcquire(new IPAddress(0x0A000000u + (uint)i));
        }

        var trackedWhileBusy = limiter.TrackedAddresses;
        time.Advance(TimeSpan.FromSeconds(11));
        limiter.TryAcquire(IPAddress.Parse("198.51.100.1"));

        Assert.True(trackedWhileBusy > 1024, $"expected the table to grow past the sweep threshold, got {trackedWhileBusy}");
        Assert.True(limiter.TrackedAddresses <= 2, $"idle, refilled buckets must be swept; {limiter.TrackedAddresses} left");
    }

    private static (UpgradeRateLimiter Limiter, FakeTimeProvider Time) Create(double perSecond, int burst)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = Options.Create(new EdgeOptions { UpgradeRateLimit = new UpgradeRateLimitOptions { PerAddressPerSecond = perSecond, Burst = burst } });
        return (new UpgradeRateLimiter(options, time, NullLogger<UpgradeRateLimiter>.Instance), time);
    }
}
