using Microsoft.Extensions.Time.Testing;
using Switchboard.Grains.Applications;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Tests.Fakes;
using Switchboard.TestInfrastructure;

namespace Switchboard.Grains.Tests.Applications;

public class EchoCallHandlerTests
{
    [Fact]
    public async Task OnMedia_QueueRefusesChunk_DroppedWithoutMark()
    {
        var session = new FakeCallSession { RefuseMedia = true };
        var handler = new EchoCallHandler(session, EchoCallHandler.DefaultChunkBytes);

        for (var i = 0; i < 3; i++)
        {
            await handler.OnMediaAsync(Inbound(i, 160), default);
        }

        Assert.Empty(session.Sent);
        Assert.Equal(1, handler.DroppedChunks);
    }

    [Fact]
    public async Task OnMedia_OutboundTrack_NotEchoed()
    {
        var session = new FakeCallSession();
        var handler = new EchoCallHandler(session, EchoCallHandler.DefaultChunkBytes);

        for (var i = 0; i < 5; i++)
        {
            await handler.OnMediaAsync(new InboundMedia(i + 2, "outbound", i, i * 20, new byte[160]), default);
        }

        await handler.OnStopAsync(ConnectionErrorCode.None, default);
        Assert.Empty(session.Sent);
    }

    [Fact]
    public async Task OnMedia_TwilioFrames_ChunksOfAtLeast400BytesEachFollowedByMark()
    {
        var session = new FakeCallSession();
        var handler = new EchoCallHandler(session, EchoCallHandler.DefaultChunkBytes);
        var input = new List<byte>();

        for (var i = 0; i < 10; i++)
        {
            var payload = Pattern(i, 160);
            input.AddRange(payload);
            await handler.OnMediaAsync(new InboundMedia(i + 2, "inbound", i + 1, i * 20, payload), default);
        }

        await handler.OnStopAsync(ConnectionErrorCode.None, default);

        var media = session.Sent.Where(f => f.Kind == OutboundKind.Media).ToList();
        Assert.All(media.SkipLast(1), f => Assert.True(f.Payload!.Length >= 400, $"chunk of {f.Payload!.Length} bytes"));
        for (var i = 0; i < session.Sent.Count; i += 2)
        {
            Assert.Equal(OutboundKind.Media, session.Sent[i].Kind);
            Assert.Equal(OutboundKind.Mark, session.Sent[i + 1].Kind);
            Assert.Equal($"echo-{(i / 2) + 1}", session.Sent[i + 1].MarkName);
        }

        Assert.Equal(input, media.SelectMany(f => f.Payload!));
        Assert.Equal(4, media.Count);
        Assert.Equal(160, media[^1].Payload!.Length);
    }

    [Fact]
    public async Task OnStop_NothingPending_SendsNothing()
    {
        var session = new FakeCallSession();
        var handler = new EchoCallHandler(session, EchoCallHandler.DefaultChunkBytes);
        // 6 × 160 B = two chunks of 480 B: nothing left over.
        for (var i = 0; i < 6; i++)
        {
            await handler.OnMediaAsync(Inbound(i, 160), default);
        }

        Assert.Equal(4, session.Sent.Count);
        var before = session.Sent.Count;
        await handler.OnStopAsync(ConnectionErrorCode.None, default);

        Assert.Equal(before, session.Sent.Count);
    }

    [Fact]
    public async Task OnMedia_OversizedFrame_SentWholeAndInOrder()
    {
        var session = new FakeCallSession();
        var handler = new EchoCallHandler(session, EchoCallHandler.DefaultChunkBytes);
        var small = Pattern(1, 100);
        var big = Pattern(2, 3000);

        await handler.OnMediaAsync(new InboundMedia(2, "inbound", 1, 0, small), default);
        await handler.OnMediaAsync(new InboundMedia(3, "inbound", 2, 20, big), default);

        var media = Assert.Single(session.Sent, f => f.Kind == OutboundKind.Media);
        Assert.Equal(small.Concat(big), media.Payload!);
    }

    [Fact]
    public async Task EchoApplication_InSession_EchoesToObserverWithMarks()
    {
        var time = new FakeTimeProvider();
        var observer = new RecordingObserver();
        var session = new ConnectionSession("MZ1", new ConnectionGrainOptions(), time, new EchoApplication(), new ConnectionInstruments(new TestMeterFactory()), new ListLogger());
        await session.StartAsync(new StreamStart("MZ1", "AC", "CA", ["inbound"], new MediaFormat("audio/x-mulaw", 8000, 1), new Dictionary<string, string>(), 1), observer, observer.Id, new SocketOrigin("gw", observer.SocketId), default);

        for (var i = 0; i < 7; i++)
        {
            await session.OnMediaAsync(Inbound(i, 160), default);
        }

        await session.StopAsync(new StreamStop(9, "AC", "CA"), default);

        Assert.Equal(
            [OutboundKind.Media, OutboundKind.Mark, OutboundKind.Media, OutboundKind.Mark, OutboundKind.Media, OutboundKind.Mark],
            observer.Frames.Select(f => f.Kind));
        Assert.Equal(1120, observer.Frames.Where(f => f.Kind == OutboundKind.Media).Sum(f => f.Payload!.Length));
        Assert.Equal(3, session.GetSnapshot().PendingMarks);
    }

    private static InboundMedia Inbound(int i, int size) => new(i + 2, "inbound", i + 1, i * 20, Pattern(i, size));

    private static byte[] Pattern(int seed, int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)((seed * 31) + i);
        }

        return bytes;
    }
}
