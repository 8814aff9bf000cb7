using System.Text;
using Switchboard.Gateway.MediaStreams;

namespace Switchboard.Gateway.Tests.MediaStreams;

public sealed class ReceiveBufferTests
{
    [Fact]
    public void Advance_PastTheLimit_Throws()
    {
        using var buffer = new ReceiveBuffer(limit: 10);
        buffer.Advance(8);

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(3));
        Assert.Equal(8, buffer.Count);
    }

    [Fact]
    public void Room_AfterDispose_Throws()
    {
        var buffer = new ReceiveBuffer(limit: 100);
        buffer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => buffer.Room());
        buffer.Dispose();
    }

    [Fact]
    public void Room_LimitBelowInitialSize_NeverOffersMoreThanTheLimit()
    {
        using var buffer = new ReceiveBuffer(limit: 1000);

        Assert.Equal(1000, buffer.Room().Length);
        buffer.Advance(1000);
        Assert.True(buffer.IsAtLimit);
        Assert.Equal(0, buffer.Room().Length);
    }

    [Fact]
    public void Room_MessageLargerThanInitialSize_GrowsUpToTheLimitKeepingEveryByte()
    {
        const int limit = (ReceiveBuffer.InitialBytes * 3) + 5;
        var expected = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, limit).Select(i => (char)('a' + (i % 26)))));
        using var buffer = new ReceiveBuffer(limit);

        var offered = new List<int>();
        while (!buffer.IsAtLimit)
        {
            var room = buffer.Room();
            offered.Add(room.Length);
            var take = Math.Min(room.Length, 1000);
            expected.AsSpan(buffer.Count, take).CopyTo(room.Span);
            buffer.Advance(take);
        }

        Assert.Equal(expected, buffer.Message.ToArray());
        Assert.Equal(ReceiveBuffer.InitialBytes, offered[0]);
        Assert.Equal(0, buffer.Room().Length);
    }

    [Fact]
    public void Reset_AfterALargeMessage_StartsEmptyAtTheInitialSize()
    {
        using var buffer = new ReceiveBuffer(limit: 64 * 1024);
        while (buffer.Count < 20_000)
        {
            buffer.Advance(buffer.Room().Length);
        }

        buffer.Reset();

        Assert.Equal(0, buffer.Count);
        Assert.False(buffer.IsAtLimit);
        Assert.Equal(ReceiveBuffer.InitialBytes, buffer.Room().Length);
    }
}
