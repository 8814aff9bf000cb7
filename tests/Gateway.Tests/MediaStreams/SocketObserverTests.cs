using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;
using Switchboard.TestInfrastructure;

namespace Switchboard.Gateway.Tests.MediaStreams;

/// <summary>The outbound policy for a client that stops reading, on fake time: the send queue's bound holds (the oldest
/// frames trimmed), then a send stalled for Gateway:SendStallTimeout aborts the socket.</summary>
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
    public async Task Send_ClientStoppedReading_QueueHeldAtCapacityOldestFramesTrimmed()
    {
        _socket.Reading = false;
        var loop = _observer.RunAsync(CancellationToken.None);
        await _observer.Send(MediaFrame(0));
        await TestWait.UntilAsync(() => _socket.PendingSends == 1, "the first send waits for the client");

        for (var i = 1; i <= 199; i++)
        {
            await _observer.Send(i % 10 == 0 ? new OutboundFrame(OutboundKind.Mark, null, $"mark-{i}") : MediaFrame(i));
            Assert.InRange(_observer.QueuedFrames, 0, 4);
        }

        // 199 frames arrived while one send waited and four fit: the other 195 were trimmed.
        Assert.Equal(195, _observer.TrimmedFrames);
        Assert.Equal(_observer.TrimmedFrames, _metrics.Total("switchboard.gateway.outbound.trimmed"));
        Assert.Single(_logs.Entries, e => e.EventName == "OutboundTrimmed" && e.Message.Contains("203.0.113.7", StringComparison.Ordinal));

        _socket.Reading = true;
        await TestWait.UntilAsync(() => _observer.QueuedFrames == 0, "the queue drains once the client reads");
        await _observer.Close(new CloseInstruction(1000, "done", ConnectionErrorCode.None));
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
        await _observer.Send(MediaFrame(0));
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
        await _observer.Send(MediaFrame(1));
        Assert.Equal(0, _observer.QueuedFrames);
    }

    [Fact]
    public async Task Send_SlowClientEverySendUnderTheStallTimeout_NeverAborted()
    {
        var loop = _observer.RunAsync(CancellationToken.None);

        for (var i = 0; i < 5; i++)
        {
            _socket.Reading = false;
            await _observer.Send(MediaFrame(i));
            await TestWait.UntilAsync(() => _socket.PendingSends == 1, $"send {i} waits for the client");
            _time.Advance(TimeSpan.FromSeconds(9));
            _socket.Reading = true;
            await TestWait.UntilAsync(() => _socket.PendingSends == 0 && _observer.QueuedFrames == 0, $"send {i} completes");
        }

        Assert.False(_observer.Stalled);
        Assert.False(loop.IsCompleted);
        Assert.Equal(5, _socket.Sent.Count);
        Assert.Equal(0, _metrics.Total("switchboard.gateway.streams.policy_closes"));
        await _observer.Close(new CloseInstruction(1000, "done", ConnectionErrorCode.None));
        await TestWait.CompletesAsync(loop, "the send loop");
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _meters.Dispose();
    }

    private static OutboundFrame MediaFrame(int index) => new(OutboundKind.Media, BitConverter.GetBytes(index), null);

    private static int PayloadIndex(JsonElement message) =>
        BitConverter.ToInt32(Convert.FromBase64String(message.GetProperty("media").GetProperty("payload").GetString()!));
}
