using Switchboard.Gateway.MediaStreams;
using Switchboard.Grains;

namespace Switchboard.Gateway.Tests.MediaStreams;

public class SocketSendQueueTests
{
    [Fact]
    public void Enqueue_Full_DropsTheOldestFrameAndKeepsTheRestInOrder()
    {
        var queue = new SocketSendQueue(capacity: 3);
        Assert.Equal(SendQueueOutcome.Queued, queue.Enqueue(Media(1)));
        Assert.Equal(SendQueueOutcome.Queued, queue.Enqueue(Mark("m1")));
        Assert.Equal(SendQueueOutcome.Queued, queue.Enqueue(Media(2)));

        Assert.Equal(SendQueueOutcome.QueuedAfterTrim, queue.Enqueue(Media(3)));
        Assert.Equal(SendQueueOutcome.QueuedAfterTrim, queue.Enqueue(Clear()));
        Assert.Equal(SendQueueOutcome.QueuedAfterTrim, queue.Enqueue(Media(4)));

        Assert.Equal(3, queue.FrameCount);
        Assert.Equal(["media 3", "clear", "media 4"], Drain(queue));
    }

    [Fact]
    public void Enqueue_Full_NeverDropsAQueuedClear()
    {
        var queue = new SocketSendQueue(capacity: 2);
        queue.Enqueue(Clear());
        queue.Enqueue(Media(1));

        Assert.Equal(SendQueueOutcome.QueuedAfterTrim, queue.Enqueue(Media(2)));

        Assert.Equal(["clear", "media 2"], Drain(queue));
    }

    [Fact]
    public void Enqueue_FullOfClears_RefusesTheArrivingFrame()
    {
        var queue = new SocketSendQueue(capacity: 2);
        queue.Enqueue(Clear());
        queue.Enqueue(Clear());

        Assert.Equal(SendQueueOutcome.DroppedFull, queue.Enqueue(Media(1)));
        Assert.Equal(SendQueueOutcome.DroppedFull, queue.Enqueue(Mark("m1")));

        Assert.Equal(["clear", "clear"], Drain(queue));
    }

    [Fact]
    public void Enqueue_AfterComplete_RefusedAsClosedButQueuedItemsStillDrain()
    {
        var queue = new SocketSendQueue(capacity: 2);
        queue.Enqueue(Media(1));

        queue.Complete();

        Assert.Equal(SendQueueOutcome.DroppedClosed, queue.Enqueue(Media(2)));
        Assert.Equal(SendQueueOutcome.DroppedClosed, queue.Enqueue(new OutboundCommand(null, 1000, "bye", null)));
        Assert.Equal(["media 1"], Drain(queue));
    }

    [Fact]
    public void Enqueue_CloseOnAFullQueue_AlwaysQueuedAndNotCountedAsAFrame()
    {
        var queue = new SocketSendQueue(capacity: 1);
        queue.Enqueue(Media(1));

        Assert.Equal(SendQueueOutcome.Queued, queue.Enqueue(new OutboundCommand(null, 1008, "policy", null)));

        Assert.Equal(1, queue.FrameCount);
        Assert.Equal(["media 1", "close 1008"], Drain(queue));
    }

    [Fact]
    public async Task WaitToReadAsync_CompletedAndEmpty_FalseAndWakesAWaitingReader()
    {
        var queue = new SocketSendQueue(capacity: 1);
        var waiting = queue.WaitToReadAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        queue.Enqueue(Media(1));
        Assert.True(await waiting);
        Assert.True(queue.TryDequeue(out _));
        var second = queue.WaitToReadAsync(CancellationToken.None).AsTask();
        queue.Complete();

        Assert.False(await second);
    }

    [Fact]
    public void Enqueue_ThousandsOfFramesWithoutAReader_NeverHoldsMoreThanTheCapacity()
    {
        var queue = new SocketSendQueue(capacity: 16);

        for (var i = 0; i < 5000; i++)
        {
            queue.Enqueue(i % 3 == 2 ? Mark($"m{i}") : Media(i));
            Assert.InRange(queue.FrameCount, 1, 16);
        }
    }

    private static OutboundCommand Media(int n) => new(new OutboundFrame(OutboundKind.Media, [(byte)n], null), 0, null, null);

    private static OutboundCommand Mark(string name) => new(new OutboundFrame(OutboundKind.Mark, null, name), 0, null, null);

    private static OutboundCommand Clear() => new(new OutboundFrame(OutboundKind.Clear, null, null), 0, null, null);

    private static List<string> Drain(SocketSendQueue queue)
    {
        var items = new List<string>();
        while (queue.TryDequeue(out var command))
        {
            items.Add(command.Frame switch
            {
                { Kind: OutboundKind.Media } frame => $"media {frame.Payload![0]}",
                { Kind: OutboundKind.Mark } frame => $"mark {frame.MarkName}",
                { Kind: OutboundKind.Clear } => "clear",
                _ => $"close {command.CloseStatus}",
            });
        }

        return items;
    }
}
