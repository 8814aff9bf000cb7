using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.Twilio;
using Switchboard.Grains;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// The gateway side of one socket's outbound path. The grain's batches (<see cref="Deliver"/>) and the session's own
/// closes all go through one <see cref="SocketSendQueue"/> with a single reader, so sends on the socket never overlap
/// and keep the order they were requested in. A batch the grain re-sends after a failed call (same epoch, a sequence
/// already written) is dropped, so a retry never duplicates audio.
/// </summary>
/// <remarks>
/// <para>A client that stops reading (policy, README "Limits and security"): first the queue's bound holds memory flat
/// (<see cref="GatewayOptions.OutboundQueueCapacity"/> frames; when full the oldest queued frame is dropped, counted and
/// logged once, see <see cref="SocketSendQueue"/>); then, when one send has made no progress for
/// <see cref="GatewayOptions.SendStallTimeout"/>, the socket is aborted (a close frame could not get through either) and
/// <see cref="Stalled"/> tells the session why. A send rarely stalls, though: the kernel's buffers take many seconds of
/// audio. So the observer also asks the peer: a <see cref="PlaybackWatch"/> probe mark follows every half second of
/// audio, and when the oldest probe's echo is <see cref="GatewayOptions.SendStallTimeout"/> later than its audio could
/// have played, the queued frames are dropped and the socket is closed with 1008 ("client stopped reading"); the
/// stream ends FAILED(NETWORK_FAILURE). A peer that reads again gets that close at once, never an open, mute socket.</para>
/// <para>After a close has been queued, or the socket failed, later frames are dropped and counted: the socket is gone
/// and there is nobody to tell.</para>
/// </remarks>
internal sealed class SocketObserver : IConnectionObserver
{
    /// <summary>Close reason when the peer stopped consuming the audio sent to it.</summary>
    public const string ClientNotReadingReason = "client stopped reading";

    // RFC 6455: a close reason is at most 123 bytes of UTF-8.
    private const int MaxCloseReasonBytes = 123;

    private readonly WebSocket _socket;
    private readonly string? _remoteAddress;
    private readonly int _capacity;
    private readonly TimeSpan _stallTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly MediaStreamInstruments _instruments;
    private readonly ILogger _logger;
    private readonly SocketSendQueue _queue;
    private readonly TwilioOutboundWriter _writer = new();
    private readonly PlaybackWatch _playback;
    private readonly TaskCompletionSource _closeSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _dropped;
    private long _trimmed;
    private int _stalled;
    private int _sendStalled;
    private CancellationTokenSource? _sendCancellation;
    private string _connectionId;
    private readonly Lock _deliveryLock = new();
    private long _epoch;
    private long _lastSequence;
    private Action<long>? _inboundCovered;

    public SocketObserver(
        WebSocket socket,
        string connectionId,
        string? remoteAddress,
        GatewayOptions options,
        TimeProvider timeProvider,
        MediaStreamInstruments instruments,
        ILogger logger)
    {
        _socket = socket;
        _connectionId = connectionId;
        _remoteAddress = remoteAddress;
        _capacity = options.OutboundQueueCapacity;
        _stallTimeout = options.SendStallTimeout;
        _timeProvider = timeProvider;
        _instruments = instruments;
        _logger = logger;
        _queue = new SocketSendQueue(_capacity);
        _playback = new PlaybackWatch(timeProvider);
    }

    /// <summary>How often the probes' echoes are checked against <see cref="GatewayOptions.SendStallTimeout"/>.</summary>
    public static readonly TimeSpan PlaybackCheckPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Set once <c>start</c> gave the streamSid; outbound frames carry it.</summary>
    public string? StreamSid { get; set; }

    /// <summary>Completes when our close frame has been sent (or the send loop ended).</summary>
    public Task CloseSent => _closeSent.Task;

    /// <summary>Close requested by the grain (not by the session itself), if any.</summary>
    public CloseInstruction? GrainCloseInstruction { get; private set; }

    /// <summary>True once the peer was found not reading: a send made no progress for the stall timeout (the socket is
    /// aborted), or a probe's echo is that late (the socket is closed with 1008). Set before the abort or close, so
    /// whoever sees the socket end afterwards also sees this.</summary>
    public bool Stalled => Volatile.Read(ref _stalled) == 1;

    /// <summary>Frames dropped because the socket was closing or gone.</summary>
    public long DroppedFrames => Interlocked.Read(ref _dropped);

    /// <summary>Frames dropped to keep the queue within its bound (the client was not keeping up).</summary>
    public long TrimmedFrames => Interlocked.Read(ref _trimmed);

    /// <summary>Frames queued now (never more than the capacity).</summary>
    public int QueuedFrames => _queue.FrameCount;

    /// <summary>A mark echo from the peer; true when it answered one of this observer's probes (not the application's).</summary>
    public bool OnMarkEcho(string name) => _playback.OnMarkEcho(name);

    public Task Deliver(OutboundBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_deliveryLock)
        {
            if (batch.Epoch == _epoch && batch.Sequence <= _lastSequence)
            {
                return Task.CompletedTask;
            }

            _epoch = batch.Epoch;
            _lastSequence = batch.Sequence;
            foreach (var frame in batch.Frames)
            {
                Send(frame);
            }

            if (batch.Close is { } close)
            {
                Close(close);
            }
        }

        if (batch.InboundWatermark > 0)
        {
            // The frames are queued on this socket: the inbound events that produced them need no re-delivery.
            Volatile.Read(ref _inboundCovered)?.Invoke(batch.InboundWatermark);
        }

        return Task.CompletedTask;
    }

    /// <summary>Called with each batch's <see cref="OutboundBatch.InboundWatermark"/> once its frames are queued.</summary>
    public void OnInboundCovered(Action<long> covered) => Volatile.Write(ref _inboundCovered, covered);

    public void Send(OutboundFrame frame) => Enqueue(new OutboundCommand(frame, 0, null, null));

    public void Close(CloseInstruction instruction)
    {
        GrainCloseInstruction = instruction;
        MediaStreamLog.CloseRequested(_logger, _connectionId, _remoteAddress, instruction.CloseStatus, instruction.Error, instruction.Reason);
        Enqueue(new OutboundCommand(null, instruction.CloseStatus, instruction.Reason, null));
    }

    /// <summary>Queues a close from the session (protocol error, stop, echoing the peer's close); completes once it
    /// was sent, or at once if it never will be.</summary>
    public Task RequestCloseAsync(WebSocketCloseStatus status, string reason)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new OutboundCommand(null, (int)status, reason, completion));
        return completion.Task;
    }

    public void UpdateConnectionId(string connectionId) => _connectionId = connectionId;

    /// <summary>The single send loop; ends after a close, when the socket fails, or when a send stalls.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // One timer for the whole loop, armed around each send: the hot path allocates nothing for it. When it fires it
        // records the stall first and only then cancels the send (which aborts the socket), so the session, which sees the
        // socket fail next, always knows why.
        using var sendCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _sendCancellation = sendCancellation;
        using var stallTimer = _timeProvider.CreateTimer(static state => ((SocketObserver)state!).OnStalled(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        using var playbackTimer = _timeProvider.CreateTimer(static state => ((SocketObserver)state!).CheckPlayback(), this, PlaybackCheckPeriod, PlaybackCheckPeriod);
        var token = sendCancellation.Token;
        try
        {
            while (await _queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!_queue.TryDequeue(out var command))
                {
                    continue;
                }

                if (command.Frame is { } frame)
                {
                    if (StreamSid is null || _socket.State != WebSocketState.Open)
                    {
                        Interlocked.Increment(ref _dropped);
                        continue;
                    }

                    await SendFrameAsync(frame, stallTimer, token).ConfigureAwait(false);
                    if (frame.Kind == OutboundKind.Clear)
                    {
                        _playback.OnClearSent();
                    }
                    else if (frame.Kind == OutboundKind.Media && _playback.OnMediaSent(frame.Payload?.Length ?? 0) is { } probe)
                    {
                        await SendFrameAsync(new OutboundFrame(OutboundKind.Mark, null, probe), stallTimer, token).ConfigureAwait(false);
                    }

                    continue;
                }

                try
                {
                    if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        stallTimer.Change(_stallTimeout, Timeout.InfiniteTimeSpan);
                        await _socket.CloseOutputAsync((WebSocketCloseStatus)command.CloseStatus, TrimReason(command.CloseReason), token).ConfigureAwait(false);
                        stallTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    }
                }
                finally
                {
                    command.Completion?.TrySetResult();
                    _closeSent.TrySetResult();
                }

                break;
            }
        }
        catch (Exception) when (Stalled)
        {
            // Logged and counted when the stall was detected; the session's receive fails next and reports the stream ended.
        }
        catch (OperationCanceledException)
        {
            // Session over.
        }
        catch (Exception ex)
        {
            // Crash-or-continue: a send failure ends this socket's outbound path only, never the session's cleanup.
            MediaStreamLog.SendFailed(_logger, ex, _connectionId);
        }
        finally
        {
            stallTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _queue.Complete();
            _closeSent.TrySetResult();
            // Release anyone waiting on a close that will never be sent.
            while (_queue.TryDequeue(out var leftover))
            {
                leftover.Completion?.TrySetResult();
                if (leftover.Frame is not null)
                {
                    Interlocked.Increment(ref _dropped);
                }
            }
        }
    }

    // ValueTask: one call per outbound frame, and the send mostly completes at once (the kernel takes it).
    private async ValueTask SendFrameAsync(OutboundFrame frame, ITimer stallTimer, CancellationToken cancellationToken)
    {
        var bytes = _writer.Write(StreamSid!, frame);
        stallTimer.Change(_stallTimeout, Timeout.InfiniteTimeSpan);
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        stallTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    // Every PlaybackCheckPeriod: the peer has not echoed a probe for the stall timeout after its audio could have played.
    // It is not reading (or not playing); our sends still succeed because the kernel buffers them. Close, do not abort:
    // the close frame fits where the audio went, so a peer that reads again learns at once that the stream is over.
    private void CheckPlayback()
    {
        var overdue = _playback.Overdue;
        if (overdue <= _stallTimeout || Interlocked.Exchange(ref _stalled, 1) != 0)
        {
            return;
        }

        _instruments.PolicyClose(MediaStreamInstruments.ClientNotReading);
        MediaStreamLog.PlaybackStalled(_logger, _connectionId, _remoteAddress, overdue, _playback.PendingProbes);
        var dropped = _queue.DropFrames();
        if (dropped > 0)
        {
            Interlocked.Add(ref _trimmed, dropped);
            _instruments.OutboundTrimmed.Add(dropped);
        }

        Enqueue(new OutboundCommand(null, (int)WebSocketCloseStatus.PolicyViolation, ClientNotReadingReason, null));
    }

    // The stall timer fired: a send (or our close) made no progress for the stall timeout. The client stopped reading:
    // its receive window and our buffers are full, and a close frame could not get through either.
    // The send is stuck even when the probes found the peer first (their close is queued behind it), so it always aborts.
    private void OnStalled()
    {
        if (Interlocked.Exchange(ref _sendStalled, 1) != 0)
        {
            return;
        }

        if (Interlocked.Exchange(ref _stalled, 1) == 0)
        {
            _instruments.PolicyClose(MediaStreamInstruments.ClientNotReading);
            MediaStreamLog.SendStalled(_logger, _connectionId, _remoteAddress, _stallTimeout);
        }

        try
        {
            _sendCancellation?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The loop ended in the meantime.
        }

        _socket.Abort();
    }

    private void Enqueue(OutboundCommand command)
    {
        switch (_queue.Enqueue(command))
        {
            case SendQueueOutcome.QueuedAfterTrim or SendQueueOutcome.DroppedFull:
                _instruments.OutboundTrimmed.Add(1);
                if (Interlocked.Increment(ref _trimmed) == 1)
                {
                    MediaStreamLog.OutboundTrimmed(_logger, _connectionId, _remoteAddress, _capacity);
                }

                break;
            case SendQueueOutcome.DroppedClosed:
                // Queue completed: the socket is closing or gone.
                Interlocked.Increment(ref _dropped);
                command.Completion?.TrySetResult();
                break;
        }
    }

    private static string TrimReason(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return string.Empty;
        }

        if (Encoding.UTF8.GetByteCount(reason) <= MaxCloseReasonBytes)
        {
            return reason;
        }

        var length = Math.Min(reason.Length, MaxCloseReasonBytes);
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxCloseReasonBytes)
        {
            length--;
        }

        return reason[..length];
    }
}
