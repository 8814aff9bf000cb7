using Microsoft.Extensions.Options;
using Switchboard.Gateway.Edge;

namespace Switchboard.Gateway.Tests.Edge;

public class ConnectionLimiterTests
{
    [Fact]
    public void TryAcquire_AtMax_RefusedAndAtCapacity()
    {
        var limiter = new ConnectionLimiter(Options.Create(new EdgeOptions { MaxConnections = 2 }));

        Assert.True(limiter.TryAcquire());
        Assert.True(limiter.TryAcquire());

        Assert.False(limiter.TryAcquire());
        Assert.True(limiter.AtCapacity);
        Assert.Equal(2, limiter.Held);
    }

    [Fact]
    public void Release_AtMax_FreesOneSlot()
    {
        var limiter = new ConnectionLimiter(Options.Create(new EdgeOptions { MaxConnections = 1 }));
        limiter.TryAcquire();

        limiter.Release();

        Assert.False(limiter.AtCapacity);
        Assert.True(limiter.TryAcquire());
    }

    [Fact]
    public async Task TryAcquire_ConcurrentCallers_AdmitsExactlyMax()
    {
        var limiter = new ConnectionLimiter(Options.Create(new EdgeOptions { MaxConnections = 100 }));
        var admitted = 0;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                if (limiter.TryAcquire())
                {
                    Interlocked.Increment(ref admitted);
                }
            }
        })));

        Assert.Equal(100, admitted);
        Assert.Equal(100, limiter.Held);
    }
}
