using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.Security;
using Switchboard.Gateway.Twilio;
using Switchboard.Grains;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// One Twilio media-stream socket, from accept to close.
///
/// Phases: (1) before <c>start</c>: <c>connected</c> is logged, anything else is buffered (bounded by
/// MaxBufferedBeforeStart, the excess dropped and counted); (2) <c>start</c>: the socket's observer is registered and
/// <see cref="IConnectionGrain.Start"/> called on the streamSid's grain, then the buffer is replayed; (3) streaming:
/// media/mark/dtmf are queued on the stream's <see cref="InboundDelivery"/>, which delivers them in order and re-delivers
/// what the grain did not acknowledge (a silo failing over); (4) <c>stop</c>: once everything before it was delivered,
/// Stop is awaited, then the grain closes with 1000.
///
/// Failure modes: binary frame → close 1003; message over MaxMessageBytes → close 1009; grain refuses start → 1008;
/// Start fails, or the grain stays unreachable for RedeliveryTimeout → 1011. Malformed messages (not JSON, wrong types, unknown event, missing fields, a streamSid
/// other than this socket's, a second <c>start</c>) are values: counted, logged once per stream, skipped; the one that
/// reaches MaxMalformedMessages closes the socket with 1007 when it was not valid data, 1008 otherwise. A <c>media</c>
/// payload that is not base64, empty, or over MaxMediaPayloadBytes is dropped and counted (logged once), never
/// forwarded, and does not count as malformed. A socket that ends without <c>stop</c> (peer close, broken transport,
/// aborted because the client stopped reading) is reported with <see cref="IConnectionGrain.SocketClosed"/>, unless the
/// grain itself asked for the close. After we send a close frame the peer has CloseHandshakeTimeout to answer before
/// the socket is aborted. The observer reference is always deleted on the way out.
/// </summary>
internal sealed class MediaStreamSession
{
    private static long s_socketCounter;

    private readonly WebSocket _socket;
    private readonly ConnectionGrainResolver _grains;
    private readonly GatewayOptions _options;
    private readonly MediaStreamTracker _tracker;
    private readonly string _gatewayId;
    private readonly string? _remoteAddress;
    private readonly TimeProvider _timeProvider;
    private readonly MediaStreamInstruments _instruments;
    private readonly ILogger _logger;
    private readonly SocketObserver _observer;
    private readonly string _socketId;
    private readonly List<TwilioInboundMessage> _preStart = [];
    private readonly StreamTickets? _requiredTickets;

    private string _connectionId;
    private IConnectionGrain? _grain;
    private InboundDelivery? _delivery;
    private bool _observerRegistered;
    private bool _stopped;
    private bool _closing;
    private bool _loggedMalformed;
    private long _malformed;
    private long _droppedBeforeStart;
    private long _mediaDropped;
    private int? _peerCloseStatus;
    private int? _sentCloseStatus;
    private string _closeReason = "unknown";

    public MediaStreamSession(
        WebSocket socket,
        ConnectionGrainResolver grains,
        GatewayOptions options,
        MediaStreamTracker tracker,
        string gatewayId,
        string? remoteAddress,
        TimeProvider timeProvider,
        MediaStreamInstruments instruments,
        ILogger logger,
        StreamTickets? requiredTickets = null)
    {
        _socket = socket;
        _requiredTickets = requiredTickets;
        _grains = grains;
        _options = options;
        _tracker = tracker;
        _gatewayId = gatewayId;
        _remoteAddress = remoteAddress;
        _timeProvider = timeProvider;
        _instruments = instruments;
        _logger = logger;
        _socketId = "ws-" + Interlocked.Increment(ref s_socketCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _connectionId = _socketId;
        _observer = new SocketObserver(socket, _connectionId, remoteAddress, options, timeProvider, instruments, logger);
    }

    public string ConnectionId => _connectionId;

    /// <summary>Called (on the transport's read path) with each measured ping round trip.</summary>
    public void OnRoundTrip(double roundTripMs)
    {
        _tracker.AddLatencySample(roundTripMs);
        CheckSpike("ping round trip", roundTripMs);
        if (Volatile.Read(ref _grain) is { } grain)
        {
            _ = ReportRoundTripAsync(grain, roundTripMs);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _tracker.StreamOpened();
        MediaStreamLog.StreamOpened(_logger, _connectionId, _remoteAddress);
        using var receiveCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sendCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sendLoop = _observer.RunAsync(sendCts.Token);
        // Once our close frame is out, the peer gets a bounded time to answer; then the receive is cancelled (abort).
        using var closeTimer = _timeProvider.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), receiveCts, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _ = _observer.CloseSent.ContinueWith(
            static (_, state) => ((ITimer)((object[])state!)[0]).Change((TimeSpan)((object[])state!)[1], Timeout.InfiniteTimeSpan),
            new object[] { closeTimer, _options.CloseHandshakeTimeout },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        using var buffer = new ReceiveBuffer(_options.MaxMessageBytes);
        var broken = false;
        try
        {
            await ReceiveLoopAsync(buffer, receiveCts.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Whatever broke the receive (transport error, abort after the close timeout, disposed socket), the
            // grain must still hear about it and the counters must still balance: never let it skip FinishAsync.
            broken = !_closing && !_stopped && _observer.GrainCloseInstruction is null;
            if (broken)
            {
                _closeReason = _observer.Stalled ? "client stopped reading" : ex.Message;
                _instruments.SocketsBroken.Add(1);
                MediaStreamLog.SocketBroken(_logger, ex, _connectionId, _remoteAddress);
            }
        }
        finally
        {
            await sendCts.CancelAsync().ConfigureAwait(false);
            await sendLoop.ConfigureAwait(false);
            if (_socket.State is not (WebSocketState.Closed or WebSocketState.Aborted))
            {
                _socket.Abort();
            }
        }

        await FinishAsync(broken).ConfigureAwait(false);
    }

    private async Task ReceiveLoopAsync(ReceiveBuffer buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            ValueWebSocketReceiveResult result;
            buffer.Reset();
            do
            {
                if (_closing)
                {
                    // Draining until the peer's close frame: what arrives now is read and thrown away.
                    buffer.Reset();
                }

                result = await _socket.ReceiveAsync(buffer.Room(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await OnPeerCloseAsync().ConfigureAwait(false);
                    return;
                }

                if (_closing)
                {
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    await ViolationAsync("binary frame (Twilio sends JSON text only)", WebSocketCloseStatus.InvalidMessageType, MediaStreamInstruments.BinaryFrame).ConfigureAwait(false);
                    break;
                }

                buffer.Advance(result.Count);
                if (!result.EndOfMessage && buffer.IsAtLimit)
                {
                    await ViolationAsync($"message larger than {_options.MaxMessageBytes} bytes", WebSocketCloseStatus.MessageTooBig, MediaStreamInstruments.MessageTooBig).ConfigureAwait(false);
                    break;
                }
            }
            while (!result.EndOfMessage);

            if (_closing)
            {
                continue;
            }

            var parsed = TwilioMessageParser.Parse(buffer.Message);
            if (!parsed.IsOk)
            {
                if (parsed.Error == TwilioParseError.InvalidBase64)
                {
                    OnMediaDropped(MediaStreamInstruments.InvalidBase64, parsed.ErrorMessage);
                }
                else
                {
                    await OnMalformedAsync(parsed.Error, parsed.ErrorMessage).ConfigureAwait(false);
                }

                continue;
            }

            try
            {
                await HandleAsync(parsed.Message).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed forward (the runtime lost the grain's silo...) ends this socket; Twilio then runs the next verb.
                MediaStreamLog.GrainCallFailed(_logger, ex, _connectionId, _remoteAddress, parsed.Message.Kind.ToString());
                _closeReason = "grain call failed";
                await CloseAsync(WebSocketCloseStatus.InternalServerError, "grain call failed").ConfigureAwait(false);
            }
        }
    }

    private async Task HandleAsync(TwilioInboundMessage message)
    {
        if (message.Kind == TwilioEventKind.Connected)
        {
            MediaStreamLog.StreamConnected(_logger, _connectionId, _remoteAddress, message.Connected!.Protocol, message.Connected.Version);
            return;
        }

        if (message.Media is { } media && (media.Payload.Length == 0 || media.Payload.Length > _options.MaxMediaPayloadBytes))
        {
            OnMediaDropped(MediaStreamInstruments.PayloadSize, $"payload of {media.Payload.Length} bytes at sequence {media.SequenceNumber} (allowed 1..{_options.MaxMediaPayloadBytes})");
            return;
        }

        if (_grain is null)
        {
            if (message.Kind == TwilioEventKind.Start)
            {
                await StartAsync(message.Start!).ConfigureAwait(false);
                return;
            }

            // Policy: media (and mark, dtmf, stop) before start is buffered in order and replayed after it, up to the bound.
            if (_preStart.Count < _options.MaxBufferedBeforeStart)
            {
                _preStart.Add(message);
            }
            else
            {
                _instruments.DroppedBeforeStart.Add(1);
                if (_droppedBeforeStart++ == 0)
                {
                    MediaStreamLog.PreStartBufferFull(_logger, _connectionId, _remoteAddress, _options.MaxBufferedBeforeStart);
                }
            }

            return;
        }

        await DispatchAsync(_grain, message).ConfigureAwait(false);
    }

    private async Task StartAsync(StreamStart start)
    {
        _connectionId = start.StreamSid;
        _observer.UpdateConnectionId(_connectionId);
        _observer.StreamSid = start.StreamSid;
        var ticket = start.CustomParameters.GetValueOrDefault(StreamTickets.ParameterName);
        if (_requiredTickets?.Check(ticket, start.CallSid) is { } check && check != StreamTicketCheck.Valid)
        {
            // Before the grain: a replayed upgrade must not activate, replace or touch any call's grain.
            MediaStreamLog.StreamTicketRejected(_logger, _connectionId, _remoteAddress, start.CallSid, check);
            _instruments.PolicyClose(MediaStreamInstruments.StreamTicket);
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, "stream ticket " + check.ToString().ToLowerInvariant()).ConfigureAwait(false);
            return;
        }

        if (ticket is not null)
        {
            // A credential, not call data: the application and its logs never see it.
            start = start with { CustomParameters = start.CustomParameters.Where(p => p.Key != StreamTickets.ParameterName).ToDictionary() };
        }

        var grain = _grains.Get(start.StreamSid);
        AttachResult result;
        var began = _timeProvider.GetTimestamp();
        try
        {
            var reference = _grains.CreateObserverReference(_observer);
            _observerRegistered = true;
            result = await grain.Start(start, reference, _gatewayId, _socketId, _remoteAddress).WaitAsync(_options.GrainCallTimeout, _timeProvider).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            MediaStreamLog.GrainCallFailed(_logger, ex, _connectionId, _remoteAddress, nameof(IConnectionGrain.Start));
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "grain unavailable").ConfigureAwait(false);
            return;
        }

        // Logged when slow, but not a health latency sample: call set-up includes the activation and a durable
        // checkpoint write (a cold silo's first calls take a few hundred ms), while the health rule is about the live
        // audio path, which the ping round trips measure.
        var elapsedMs = _timeProvider.GetElapsedTime(began).TotalMilliseconds;
        CheckSpike("grain Start", elapsedMs);
        if (!result.Accepted)
        {
            if (result.Refusal is StartRefusal.StreamLive or StartRefusal.StreamEnded)
            {
                // Twilio never opens a second socket for a stream: this one replays a streamSid it should not know.
                MediaStreamLog.DuplicateStreamRejected(_logger, _connectionId, _remoteAddress, result.Reason, result.HolderRemoteAddress);
                _instruments.PolicyClose(MediaStreamInstruments.DuplicateStream);
            }
            else
            {
                MediaStreamLog.StreamRejected(_logger, _connectionId, _remoteAddress, result.Reason);
            }

            await CloseAsync(WebSocketCloseStatus.PolicyViolation, result.Reason ?? "refused").ConfigureAwait(false);
            return;
        }

        _delivery = new InboundDelivery(grain, _socketId, _connectionId, _remoteAddress, _options, _timeProvider, _logger, () => _grains.ConnectionLost);
        _observer.OnInboundCovered(_delivery.Covered);
        _ = _delivery.Abandoned.ContinueWith(
            static (_, state) => ((MediaStreamSession)state!).OnDeliveryAbandonedAsync(),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        Volatile.Write(ref _grain, grain);
        MediaStreamLog.StreamStarted(_logger, _connectionId, _remoteAddress, start.CallSid, _socketId, elapsedMs);
        foreach (var buffered in _preStart)
        {
            if (_closing)
            {
                break;
            }

            await DispatchAsync(grain, buffered).ConfigureAwait(false);
        }

        _preStart.Clear();
    }

    private async Task DispatchAsync(IConnectionGrain grain, TwilioInboundMessage message)
    {
        if (message.Kind == TwilioEventKind.Start)
        {
            // Policy: a socket carries one stream; a second start is refused (not forwarded) and counted as malformed.
            await OnMalformedAsync(TwilioParseError.SecondStart, "second start on one socket").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(message.StreamSid, _connectionId, StringComparison.Ordinal))
        {
            await OnMalformedAsync(TwilioParseError.WrongStreamSid, $"{message.Kind} for stream '{Truncate(message.StreamSid)}' on the socket of {_connectionId}").ConfigureAwait(false);
            return;
        }

        switch (message.Kind)
        {
            case TwilioEventKind.Media:
                _delivery!.EnqueueMedia(message.Media!);
                break;
            case TwilioEventKind.Mark:
                // Still delivered when it answers one of the observer's probes: the grain counts its sequence number.
                _observer.OnMarkEcho(message.Mark!.Name);
                _delivery!.EnqueueMark(message.Mark!);
                break;
            case TwilioEventKind.Dtmf:
                _delivery!.EnqueueDtmf(message.Dtmf!);
                break;
            case TwilioEventKind.Stop:
                await StopAsync(grain, message.Stop!).ConfigureAwait(false);
                break;
        }
    }

    private async Task StopAsync(IConnectionGrain grain, StreamStop stop)
    {
        _stopped = true;
        _closeReason = "stop";
        MediaStreamLog.StreamStopped(_logger, _connectionId, _remoteAddress);
        try
        {
            var began = _timeProvider.GetTimestamp();
            // Everything before stop reaches the grain first: it may still echo or flush audio for it.
            await _delivery!.FlushAsync().WaitAsync(_options.RedeliveryTimeout, _timeProvider).ConfigureAwait(false);
            await grain.Stop(stop).WaitAsync(_options.GrainCallTimeout, _timeProvider).ConfigureAwait(false);
            _delivery.Complete();
            CheckSpike("grain Stop", _timeProvider.GetElapsedTime(began).TotalMilliseconds);
        }
        catch (Exception ex)
        {
            MediaStreamLog.GrainCallFailed(_logger, ex, _connectionId, _remoteAddress, nameof(IConnectionGrain.Stop));
        }

        // The grain closes the socket through the observer, behind any audio it flushed on stop (observer calls are
        // ordered); closing here first would cut that audio off. We close ourselves only if the grain does not.
        try
        {
            await _observer.CloseSent.WaitAsync(_options.CloseHandshakeTimeout, _timeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await CloseAsync(WebSocketCloseStatus.NormalClosure, "stream stopped").ConfigureAwait(false);
        }
    }

    private async Task OnPeerCloseAsync()
    {
        _peerCloseStatus = (int?)_socket.CloseStatus;
        if (!_closing && _observer.GrainCloseInstruction is null)
        {
            _closeReason = string.IsNullOrEmpty(_socket.CloseStatusDescription) ? "peer closed" : _socket.CloseStatusDescription;
            // Complete the handshake through the send queue so it cannot overlap an outbound frame.
            await CloseAsync(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, string.Empty).ConfigureAwait(false);
        }
    }

    private async Task ViolationAsync(string violation, WebSocketCloseStatus status, string reason)
    {
        _instruments.PolicyClose(reason);
        MediaStreamLog.ProtocolViolation(_logger, _connectionId, _remoteAddress, violation, (int)status);
        _closeReason = violation;
        await CloseAsync(status, violation).ConfigureAwait(false);
    }

    private Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (_closing)
        {
            return Task.CompletedTask;
        }

        _closing = true;
        _sentCloseStatus = (int)status;
        return _observer.RequestCloseAsync(status, reason);
    }

    private async Task OnMalformedAsync(TwilioParseError error, string? detail)
    {
        _malformed++;
        _tracker.MalformedMessage();
        _instruments.Malformed(TagOf(error));
        if (!_loggedMalformed)
        {
            _loggedMalformed = true;
            MediaStreamLog.MalformedMessage(_logger, _connectionId, _remoteAddress, error, detail);
        }

        if (_malformed >= _options.MaxMalformedMessages)
        {
            // 1007 when the last straw was not valid data at all, 1008 when it was valid JSON breaking the protocol.
            var status = error is TwilioParseError.MalformedJson or TwilioParseError.WrongType or TwilioParseError.InvalidNumber
                ? WebSocketCloseStatus.InvalidPayloadData
                : WebSocketCloseStatus.PolicyViolation;
            await ViolationAsync($"{_malformed} malformed messages (limit {_options.MaxMalformedMessages}), last {error}", status, MediaStreamInstruments.MalformedLimit).ConfigureAwait(false);
        }
    }

    private void OnMediaDropped(string reason, string? detail)
    {
        _instruments.MediaDrop(reason);
        if (_mediaDropped++ == 0)
        {
            MediaStreamLog.MediaDropped(_logger, _connectionId, _remoteAddress, reason, detail ?? string.Empty);
        }
    }

    private static string TagOf(TwilioParseError error) => error switch
    {
        TwilioParseError.MalformedJson => "malformed_json",
        TwilioParseError.WrongType => "wrong_type",
        TwilioParseError.MissingField => "missing_field",
        TwilioParseError.UnknownEvent => "unknown_event",
        TwilioParseError.InvalidNumber => "invalid_number",
        TwilioParseError.InvalidBase64 => "invalid_base64",
        TwilioParseError.WrongStreamSid => "wrong_stream_sid",
        TwilioParseError.SecondStart => "second_start",
        _ => "other",
    };

    private static string Truncate(string? value) => value is null ? string.Empty : value.Length <= 40 ? value : value[..40] + "…";

    private async Task FinishAsync(bool broken)
    {
        try
        {
            var grainAskedToClose = _observer.GrainCloseInstruction is not null;
            if (_grain is { } grain && !_stopped && !grainAskedToClose)
            {
                // Our own close counts when the peer never answered it: the stream ended on a close we decided, not a broken
                // transport. A peer that stopped reading is a network failure however the socket then ended.
                var closure = broken || _observer.Stalled
                    ? new SocketClosure(null, _observer.Stalled ? SocketObserver.ClientNotReadingReason : _closeReason)
                    : new SocketClosure(_peerCloseStatus ?? _sentCloseStatus ?? (int?)_socket.CloseStatus, _closeReason);
                try
                {
                    if (_delivery is { } delivery)
                    {
                        await delivery.FlushAsync().WaitAsync(_options.RedeliveryTimeout, _timeProvider).ConfigureAwait(false);
                        delivery.Complete();
                    }

                    await grain.SocketClosed(closure).WaitAsync(_options.GrainCallTimeout, _timeProvider).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    MediaStreamLog.GrainCallFailed(_logger, ex, _connectionId, _remoteAddress, nameof(IConnectionGrain.SocketClosed));
                }
            }
        }
        finally
        {
            if (_observerRegistered)
            {
                _grains.DeleteObserverReference(_observer);
            }

            _tracker.StreamClosed();
            MediaStreamLog.StreamClosed(_logger, _connectionId, _remoteAddress, broken ? null : _peerCloseStatus, _closeReason, _malformed, _droppedBeforeStart, _mediaDropped, _observer.TrimmedFrames);
        }
    }

    private void CheckSpike(string measurement, double elapsedMs)
    {
        var threshold = _options.LatencySpikeThreshold.TotalMilliseconds;
        if (elapsedMs > threshold)
        {
            MediaStreamLog.LatencySpike(_logger, _connectionId, _remoteAddress, measurement, elapsedMs, threshold);
        }
    }

    private async Task OnDeliveryAbandonedAsync()
    {
        _closeReason = "grain unreachable";
        await CloseAsync(WebSocketCloseStatus.InternalServerError, "grain unreachable").ConfigureAwait(false);
    }

    private async Task ReportRoundTripAsync(IConnectionGrain grain, double roundTripMs)
    {
        try
        {
            await grain.ReportRoundTrip(roundTripMs).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            MediaStreamLog.GrainCallFailed(_logger, ex, _connectionId, _remoteAddress, nameof(IConnectionGrain.ReportRoundTrip));
        }
    }
}
