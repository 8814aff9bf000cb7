using System.Buffers;
using System.Net.WebSockets;

namespace Switchboard.TwilioSim;

/// <summary>
/// One simulated Twilio call: a state machine driven by the shared <see cref="PacingLoop"/> through
/// <see cref="OnTick"/>, plus its own receive loop.
/// Phases: Pending → Connecting (socket, <c>connected</c>, <c>start</c>) → Streaming (frame k of the call is
/// due at its first tick + k) → Draining (until every byte is echoed, playback has caught up and no mark is
/// pending, bounded by the drain period) → Stopping (<c>stop</c>, close handshake) → Completed; any failure
/// → Failed. Invariants: at most one send operation is in flight per socket (OnTick starts new work only
/// when the previous work finished, so a slow socket delays only its own call, which then catches up);
/// mark echoes are sent only from OnTick's work, never from timers; the matcher and playback clock are
/// shared with the receive loop and only touched under <c>_gate</c>. Failures are recorded as error
/// strings, never thrown to the loop.
/// </summary>
internal sealed class SimulatedCall : IDisposable
{
    private const int FrameBytes = 160;
    private const int MaxErrorsPerCall = 5;
    private const int MaxMessageBytes = 4 * 1024 * 1024;

    private readonly SimulatorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ClientWebSocket _socket = new();
    private readonly MediaFrameWriter _frameWriter;
    private readonly EchoMatcher _matcher;
    private readonly PlaybackClock _playback;
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _control = new(512);
    private readonly byte[] _frame = new byte[FrameBytes];
    private readonly List<string> _dueMarks = [];
    private readonly List<string> _errors = [];
    private readonly int _totalFrames;

    private Task _work = Task.CompletedTask;
    private Task _receive = Task.CompletedTask;
    private long _sequence = 1;
    private long _framesSent;
    private long _firstTick;
    private TimeSpan _drainDeadline;
    private volatile bool _closing;
    private volatile bool _serverClosed;
    private volatile CallState _state;
    private int _errorCount;

    /// <summary>Creates a call that starts <paramref name="startOffset"/> after the run begins.</summary>
    public SimulatedCall(int index, CallIdentity identity, TimeSpan startOffset, SimulatorOptions options, ReadOnlyMemory<byte> audio, LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        Index = index;
        Identity = identity;
        StartOffset = startOffset;
        _options = options;
        _timeProvider = options.TimeProvider;
        _totalFrames = options.FramesPerCall;
        _frameWriter = new MediaFrameWriter(identity.StreamSid, FrameBytes);
        _matcher = new EchoMatcher(audio, _totalFrames, FrameBytes, histogram, _timeProvider);
        _playback = new PlaybackClock(_timeProvider);
        if (options.AuthToken is { } token)
        {
            _socket.Options.SetRequestHeader(TwilioSignature.HeaderName, TwilioSignature.Compute(token, TwilioSignature.SignedUrl(options.Url, options.PublicUrl)));
        }

        options.ConfigureSocket?.Invoke(_socket.Options);
    }

    /// <summary>Position of the call in the run.</summary>
    public int Index { get; }

    /// <summary>The call's SIDs.</summary>
    public CallIdentity Identity { get; }

    /// <summary>Delay after the run start before this call connects.</summary>
    public TimeSpan StartOffset { get; }

    /// <summary>Current phase (written by the pacing loop only; readable from any thread for progress).</summary>
    public CallState State
    {
        get => _state;
        private set => _state = value;
    }

    /// <summary>
    /// Whether the server ended the socket before the call sent its own <c>stop</c>: a close frame, or the connection
    /// dropped under the receive loop (reset, end of stream). Our own aborts (timeout, cancellation, send failure) do not count.
    /// </summary>
    public bool ServerClosed => _serverClosed;

    /// <summary>Whether the socket opened and <c>start</c> was sent.</summary>
    public bool WasConnected { get; private set; }

    /// <summary>Inbound media messages sent.</summary>
    public long MediaSent => Interlocked.Read(ref _framesSent);

    /// <summary>Mark echoes sent.</summary>
    public long MarksEchoed { get; private set; }

    /// <summary>True once the call reached <see cref="CallState.Completed"/> or <see cref="CallState.Failed"/>.</summary>
    public bool IsFinished => State is CallState.Completed or CallState.Failed;

    /// <summary>The longest echo gap so far (see <see cref="EchoMatcher"/>).</summary>
    public TimeSpan LongestEchoGap
    {
        get
        {
            lock (_gate)
            {
                return _matcher.LongestGap;
            }
        }
    }

    /// <summary>How long after <paramref name="instant"/> (a timestamp of the run's clock) the echo resumed (see <see cref="EchoMatcher.EchoResumedAfter"/>).</summary>
    public TimeSpan? EchoResumedAfter(long instant)
    {
        lock (_gate)
        {
            return _matcher.EchoResumedAfter(instant);
        }
    }

    /// <summary>A snapshot of the call's counters, for progress while it runs and for the summary afterwards.</summary>
    public CallResult ToResult()
    {
        lock (_gate)
        {
            return new CallResult(this)
            {
                Index = Index,
                StreamSid = Identity.StreamSid,
                CallSid = Identity.CallSid,
                State = State,
                WasConnected = WasConnected,
                MediaSent = MediaSent,
                BytesSent = _matcher.BytesSent,
                BytesEchoed = _matcher.BytesEchoed,
                Lost = _matcher.Lost,
                Mismatched = _matcher.MismatchedBytes,
                LongestEchoGap = _matcher.LongestGap,
                LongestEchoGapStartedAt = _matcher.LongestGapStartedAt,
                LongestEchoGapIntoStream = _matcher.LongestGapStartedAt == 0 ? null : _timeProvider.GetElapsedTime(_matcher.FirstSentAt, _matcher.LongestGapStartedAt),
                ServerClosed = ServerClosed,
                Errors = ErrorsLocked(),
            };
        }
    }

    /// <summary>Errors recorded by this call (capped; the rest are counted).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
            {
                return ErrorsLocked();
            }
        }
    }

    /// <summary>Advances the state machine; called by the pacing loop once per tick. Never blocks.</summary>
    public void OnTick(long tick, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        switch (State)
        {
            case CallState.Pending:
                if (elapsed >= StartOffset)
                {
                    State = CallState.Connecting;
                    _work = ConnectAsync(cancellationToken);
                }

                break;

            case CallState.Connecting:
                if (!_work.IsCompleted)
                {
                    break;
                }

                if (!_work.IsCompletedSuccessfully)
                {
                    Fail($"connect failed: {Reason(_work.Exception)}");
                    break;
                }

                WasConnected = true;
                State = CallState.Streaming;
                _firstTick = tick;
                goto case CallState.Streaming;

            case CallState.Streaming:
            case CallState.Draining:
                if (!_work.IsCompleted)
                {
                    break;
                }

                if (!_work.IsCompletedSuccessfully)
                {
                    // A send that fails while we are not closing means the server (or the network) ended the socket.
                    _serverClosed |= !_work.IsCanceled && !cancellationToken.IsCancellationRequested;
                    Fail($"send failed: {Reason(_work.Exception)}");
                    break;
                }

                if (_receive.IsCompleted)
                {
                    // The receive loop recorded why (unexpected close or socket error).
                    Fail(null);
                    break;
                }

                if (State == CallState.Streaming && _framesSent >= _totalFrames)
                {
                    State = CallState.Draining;
                    _drainDeadline = elapsed + _options.Drain;
                }

                if (State == CallState.Draining && (elapsed >= _drainDeadline || IsDrained()))
                {
                    State = CallState.Stopping;
                    _work = StopAsync(cancellationToken);
                    break;
                }

                long framesDue = Math.Min(_totalFrames, tick - _firstTick + 1);
                _work = SendDueAsync(framesDue, cancellationToken);
                break;

            case CallState.Stopping:
                if (_work.IsCompleted)
                {
                    if (_work.IsCompletedSuccessfully)
                    {
                        State = CallState.Completed;
                        _socket.Dispose();
                    }
                    else
                    {
                        Fail($"stop failed: {Reason(_work.Exception)}");
                    }
                }

                break;

            default:
                break;
        }
    }

    /// <summary>Ends an unfinished call (hard timeout or cancellation) and records why.</summary>
    public void Abort(string reason)
    {
        if (!IsFinished)
        {
            Fail($"{reason} while {State}");
        }
    }

    /// <summary>Waits (bounded) for the call's background work to observe the abort.</summary>
    public async Task WhenQuiescentAsync(TimeSpan limit)
    {
        try
        {
            await Task.WhenAll(_work, _receive).WaitAsync(limit, _timeProvider).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Outcomes were recorded by the state machine; this wait only keeps the process tidy.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(_options.Url, cancellationToken).ConfigureAwait(false);
        await _socket.SendAsync(TwilioMessages.Connected, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        var parameters = new Dictionary<string, string>(_options.CustomParameters)
        {
            ["callIndex"] = Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _control.ResetWrittenCount();
        TwilioMessages.WriteStart(_control, Identity, parameters);
        await _socket.SendAsync(_control.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        _sequence = 2;
        _receive = ReceiveLoopAsync(cancellationToken);
    }

    private async Task SendDueAsync(long framesDue, CancellationToken cancellationToken)
    {
        while (_framesSent < framesDue)
        {
            long frameIndex = _framesSent;
            _matcher.CopyFrame(frameIndex, _frame);
            var message = _frameWriter.Write(_sequence++, frameIndex + 1, frameIndex * 20, _frame);
            lock (_gate)
            {
                _matcher.RecordSent((int)frameIndex);
            }

            await _socket.SendAsync(message, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _framesSent);
        }

        lock (_gate)
        {
            _dueMarks.Clear();
            _playback.TakeDueMarks(_dueMarks);
        }

        foreach (var name in _dueMarks)
        {
            _control.ResetWrittenCount();
            TwilioMessages.WriteMarkEcho(_control, Identity.StreamSid, _sequence++, name);
            await _socket.SendAsync(_control.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            MarksEchoed++;
        }
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        _closing = true;
        _control.ResetWrittenCount();
        TwilioMessages.WriteStop(_control, Identity, _sequence++);
        await _socket.SendAsync(_control.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);

        // Give the server the first word after `stop`: an application may flush its last audio (the echo flushes its
        // partial chunk) before closing, and a close frame from us would cut that off. If the server does not close
        // within the drain period, we start the close handshake ourselves.
        var serverClosed = await Task.WhenAny(_receive, Task.Delay(_options.Drain, _timeProvider, cancellationToken)).ConfigureAwait(false) == _receive;
        if (!serverClosed && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "stop", cancellationToken).ConfigureAwait(false);
        }
        else if (_socket.State is WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "stop", cancellationToken).ConfigureAwait(false);
        }

        try
        {
            // The server answers our close frame; the receive loop ends when it does.
            await _receive.WaitAsync(_options.Drain + TimeSpan.FromSeconds(1), _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            RecordError("server did not complete the close handshake");
            _socket.Abort();
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        byte[] audio = ArrayPool<byte>.Shared.Rent(4 * 1024);
        int count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    if (buffer.Length >= MaxMessageBytes)
                    {
                        RecordError($"protocol error: message larger than {MaxMessageBytes} bytes");
                        _socket.Abort();
                        return;
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (!_closing)
                    {
                        _serverClosed = true;
                        RecordError($"unexpected close {(int?)_socket.CloseStatus} '{_socket.CloseStatusDescription}'");
                    }

                    return;
                }

                count += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    RecordError("protocol error: binary frame");
                }
                else
                {
                    audio = Handle(buffer.AsSpan(0, count), audio);
                }

                count = 0;
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (!_closing && !cancellationToken.IsCancellationRequested && State != CallState.Failed)
            {
                _serverClosed = true;
                RecordError($"receive failed: {exception.Message}");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(audio);
        }
    }

    private byte[] Handle(ReadOnlySpan<byte> json, byte[] audio)
    {
        if (!TwilioMessages.TryParseOutbound(json, out var message) || message is null)
        {
            RecordError("protocol error: message is not a JSON object");
            return audio;
        }

        if (message.StreamSid != Identity.StreamSid)
        {
            RecordError($"protocol error: {message.Event} with streamSid '{message.StreamSid}'");
            return audio;
        }

        switch (message.Event)
        {
            case "media":
                if (message.Media?.Payload is not { } payload)
                {
                    RecordError("protocol error: media without media.payload");
                    break;
                }

                int maxBytes = ((payload.Length + 3) / 4) * 3;
                if (audio.Length < maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(audio);
                    audio = ArrayPool<byte>.Shared.Rent(maxBytes);
                }

                if (!Convert.TryFromBase64String(payload, audio, out int written))
                {
                    RecordError("protocol error: media.payload is not base64");
                    break;
                }

                lock (_gate)
                {
                    _matcher.OnEcho(audio.AsSpan(0, written));
                    _playback.EnqueueAudio(written);
                }

                break;

            case "mark":
                if (message.Mark?.Name is not { } name)
                {
                    RecordError("protocol error: mark without mark.name");
                    break;
                }

                lock (_gate)
                {
                    _playback.EnqueueMark(name);
                }

                break;

            case "clear":
                lock (_gate)
                {
                    _playback.Clear();
                }

                break;

            default:
                RecordError($"protocol error: unknown event '{message.Event}'");
                break;
        }

        return audio;
    }

    private bool IsDrained()
    {
        lock (_gate)
        {
            return _matcher.BytesEchoed >= _matcher.BytesSent && _playback.PendingMarks == 0 && _playback.Buffered == TimeSpan.Zero;
        }
    }

    private void Fail(string? reason)
    {
        if (reason is not null)
        {
            RecordError(reason);
        }

        State = CallState.Failed;
        _closing = true;
        _socket.Abort();
        lock (_gate)
        {
            _matcher.EndStreaming();
        }
    }

    private void RecordError(string error)
    {
        lock (_gate)
        {
            _errorCount++;
            if (_errors.Count < MaxErrorsPerCall)
            {
                _errors.Add($"{Describe()}: {error}");
            }
        }
    }

    private List<string> ErrorsLocked()
    {
        var result = new List<string>(_errors);
        if (_errorCount > _errors.Count)
        {
            result.Add($"{Describe()}: {_errorCount - _errors.Count} more errors");
        }

        return result;
    }

    private string Describe() => $"call {Index} ({Identity.StreamSid})";

    private static string Reason(AggregateException? exception)
    {
        var inner = exception?.GetBaseException();
        return inner is null ? "cancelled" : $"{inner.GetType().Name}: {inner.Message}";
    }
}
