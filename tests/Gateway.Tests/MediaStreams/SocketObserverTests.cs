using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;
using Switchboard.TestInfrastructure;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>The grain's batches reach the socket once each and in order (a re-sent batch is dropped), and the outbound
/// policy for a client that stops reading, on fake time: the send queue's bound holds (the oldest frames trimmed), then a
/// send stalled for Gateway:SendStallTimeout aborts the socket.</summary>
public sealed class SocketObserverTests : IDisposable
{
    private const string Sid = "MZ00000000000000000000000000000003";
    private readonly FakeTimeProvider _time = new();
    private readonly StallingWebSocket _socket = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly TestMeterFactory _meters = new();
    private readonly MeterRecorder _metrics;
    private readonly SocketObserver _observer;

    public SocketObserverTests()
    {
        _metrics = new MeterRecorder(_meters, MediaStreamInstruments.MeterName);
        var options = new GatewayOptions { OutboundQueueCapacity = 4, SendStallTimeout = TimeSpan.FromSeconds(10) };
        _observer = new SocketObserver(_socket, Sid, "203.0.113.7", options, _time, new MediaStreamInstruments(_meters), _logs.CreateLogger("test"))
        {
            StreamSid = Sid,
        };
    }

    [Fact]
    public async Task Deliver_SequenceAlreadyWrittenInTheSameEpoch_Dropped()
    {
        var loop = _observer.RunAsync(CancellationToken.None);

        await _observer.Deliver(new OutboundBatch(7, 1, [MediaFrame(0), MediaFrame(1)], null));
        // The grain's pump re-sends a batch whose call failed although the frames were written: same epoch, same sequence.
        await _observer.Deliver(new OutboundBatch(7, 1, [MediaFrame(0), MediaFrame(1)], null));
        await _observer.Deliver(new OutboundBatch(7, 2, [MediaFrame(2)], null));
        // A stale retry arriving after a newer batch.
        await _observer.Deliver(new OutboundBatch(7, 1, [MediaFrame(0), MediaFrame(1)], null));
        await _observer.Deliver(new OutboundBatch(7, 3, [], new CloseInstruction(1000, "done", ConnectionErrorCode.None)));
        await TestWait.CompletesAsync(loop, "the send loop after the close");

        Assert.Equal([0, 1, 2], Frames().Select(PayloadIndex));
        Assert.Equal("close 1000", _socket.Sent[^1]);
    }

    [Fact]
    public async Task Deliver_NewEpoch_AcceptedFromSequenceOne()
    {
        var loop = _observer.RunAsync(CancellationToken.None);

        await _observer.Deliver(new OutboundBatch(1, 1, [MediaFrame(0)], null));
        await _observer.Deliver(new OutboundBatch(1, 2, [MediaFrame(1)], null));
        // A new activation (after a failover) numbers its batches from 1 again under its own epoch.
        await _observer.Deliver(new OutboundBatch(2, 1, [MediaFrame(2)], null));
        await _observer.Deliver(new OutboundBatch(2, 2, [MediaFrame(3)], null));
        _observer.Close(new CloseInstruction(1000, "done", ConnectionErrorCode.None));
        await TestWait.CompletesAsync(loop, "the send loop after the close");

        Assert.Equal([0, 1, 2, 3], Frames().Select(PayloadIndex));
    }

    [Fact]
    public async Task Deliver_FramesAndClose_WrittenInOrder()
    {
        var loop = _observer.RunAsync(CancellationToken.None);
        var close = new CloseInstruction(1008, "duplicate stream", ConnectionErrorCode.AuthFailure);

        await _observer.Deliver(new OutboundBatch(1, 1, [MediaFrame(0), new OutboundFrame(OutboundKind.Mark, null, "utt-1"), new OutboundFrame(OutboundKind.Clear, null, null), MediaFrame(1)], close));
        await TestWait.CompletesAsync(loop, "the send loop after the close");

        Assert.Equal(["media", "mark", "clear", "media", "close 1008"], _socket.Sent.Select(t => t.StartsWith('{') ? JsonDocument.Parse(t).RootElement.GetProperty("event").GetString() : t));
        Assert.Equal("utt-1", JsonDocument.Parse(_socket.Sent[1]).RootElement.GetProperty("mark").GetProperty("name").GetString());
        Assert.Same(close, _observer.GrainCloseInstruction);
        Assert.True(_observer.CloseSent.IsCompleted);
        // Frames after the close are dropped, never written.
        await _observer.Deliver(new OutboundBatch(1, 2, [MediaFrame(2)], null));
        Assert.Equal(5, _socket.Sent.Count);
        Assert.Equal(1, _observer.DroppedFrames);
    }

    [Fact]
    public async Task Deliver_WithAnInboundWatermark_ReportedOnceItsFramesAreQueued_NotForARetryOrNone()
    {
        var covered = new List<(long Watermark, int Queued)>();
        _socket.Reading = false;
        var loop = _observer.RunAsync(CancellationToken.None);
        _observer.OnInboundCovered(watermark => covered.Add((watermark, _observer.QueuedFrames)));
        _observer.Send(MediaFrame(0));
        await TestWait.UntilAsync(() => _socket.PendingSends == 1, "the first send waits for the client");

        await _observer.Deliver(new OutboundBatch(1, 1, [MediaFrame(1), MediaFrame(2)], null, InboundWatermark: 6));
        await _observer.Deliver(new OutboundBatch(1, 1, [MediaFrame(1), MediaFrame(2)], null, InboundWatermark: 6));
        await _observer.Deliver(new OutboundBatch(1, 2, [MediaFrame(3)], null));
        await _observer.Deliver(new OutboundBatch(1, 3, [MediaFrame(4)], null, InboundWatermark: 9));

        // Reported once the batch's frames were on the socket's queue (2, then 2 + 1 + 1), never for the re-sent batch.
        Assert.Equal([(6L, 2), (9L, 4)], covered);
        _socket.Reading = true;
        _observer.Close(new CloseInstruction(1000, "done", ConnectionErrorCode.None));
        await TestWait.CompletesAsync(loop, "the send loop after the close");
        Assert.Equal([0, 1, 2, 3, 4], Frames().Select(PayloadIndex));
    }

    [Fact]
    public async Task Send_ClientStoppedReading_QueueHeldAtCapacityOldestFramesTrimmed()
    {
        _socket.Reading = false;
        var loop = _observer.RunAsync(CancellationToken.None);
        _observer.Send(MediaFrame(0));
        await TestWait.UntilAsync(() => _socket.PendingSends == 1, "the first send waits for the client");

        for (var i = 1; i <= 199; i++)
        {
            _observer.Send(i % 10 == 0 ? new OutboundFrame(OutboundKind.Mark, null, $"mark-{i}") : MediaFrame(i));
            Assert.InRange(_observer.QueuedFrames, 0, 4);
        }

        // 199 frames arrived while one send waited and four fit: the other 195 were trimmed.
        Assert.Equal(195, _observer.TrimmedFrames);
        Assert.Equal(_observer.TrimmedFrames, _metrics.Total("switchboard.gateway.outbound.trimmed"));
        Assert.Single(_logs.Entries, e => e.EventName == "OutboundTrimmed" && e.Message.Contains("203.0.113.7", StringComparison.Ordinal));

        _socket.Reading = true;
        await TestWait.UntilAsync(() => _observer.QueuedFrames == 0, "the queue drains once the client reads");
        _observer.Close(new CloseInstruction(1000, "done", ConnectionErrorCode.None));
        await TestWait.CompletesAsync(loop, "the send loop");

        // What was sent: the first frame, then the newest four: the bound keeps the latest stretch of the stream.
        var sent = _socket.Sent.Where(t => t.StartsWith('{')).Select(t => JsonDocument.Parse(t).RootElement).ToList();
        Assert.Equal([0, 196, 197, 198, 199], sent.Select(PayloadIndex));
        Assert.False(_observer.Stalled);
    }

    [Fact]
    public async Task Send_StalledForTheStallTimeout_SocketAbortedAndReportedAsClientNotReading()
    {
        _socket.Reading = false;
        var loop = _observer.RunAsync(CancellationToken.None);
        _observer.Send(MediaFrame(0));
        await TestWait.UntilAsync(() => _socket.PendingSends == 1, "the first send waits for the client");

        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));
        Assert.False(loop.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await TestWait.CompletesAsync(loop, "the send loop after the stall");
        Assert.True(_observer.Stalled);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Aborted, _socket.State);
        Assert.Equal(1, _metrics.Total("switchboard.gateway.streams.policy_closes", "reason", MediaStreamInstruments.ClientNotReading));
        Assert.Single(_logs.Entries, e => e.EventName == "SendStalled" && e.Message.Contains(Sid, StringComparison.Ordinal)
            && e.Message.Contains("203.0.113.7", StringComparison.Ordinal));
        // Frames arriving after the abort are dropped, never queued.
        _observer.Send(MediaFrame(1));
        Assert.Equal(0, _observer.QueuedFrames);
    }

    [Fact]
    public async Task Send_SlowClientEverySendUnderTheStallTimeout_NeverAborted()
    {
        var loop = _observer.RunAsync(CancellationToken.None);

        for (var i = 0; i < 5; i++)
        {
            _socket.Reading = false;
            _observer.Send(MediaFrame(i));
            await TestWait.UntilAsync(() => _socket.PendingSends == 1, $"send {i} waits for the client");
            _time.Advance(TimeSpan.FromSeconds(9));
            _socket.Reading = true;
            await TestWait.UntilAsync(() => _socket.PendingSends == 0 && _observer.QueuedFrames == 0, $"send {i} completes");
        }

        Assert.False(_observer.Stalled);
        Assert.False(loop.IsCompleted);
        Assert.Equal(5, _socket.Sent.Count);
        Assert.Equal(0, _metrics.Total("switchboard.gateway.streams.policy_closes"));
        _observer.Close(new CloseInstruction(1000, "done", ConnectionErrorCode.None));
        await TestWait.CompletesAsync(loop, "the send loop");
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _meters.Dispose();
    }

    private List<JsonElement> Frames() => [.. _socket.Sent.Where(t => t.StartsWith('{')).Select(t => JsonDocument.Parse(t).RootElement)];

    private static OutboundFrame MediaFrame(int index) => new(OutboundKind.Media, BitConverter.GetBytes(index), null);

    private static int PayloadIndex(JsonElement message) =>
        BitConverter.ToInt32(Convert.FromBase64String(message.GetProperty("media").GetProperty("payload").GetString()!));
}
