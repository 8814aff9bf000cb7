using Microsoft.Extensions.Logging;
using Switchboard.Grains.Applications;

namespace Switchboard.Grains.Connection;

/// <summary>
/// All logic of one media stream; <see cref="ConnectionGrain"/> is glue around it. Deterministic given its
/// <see cref="TimeProvider"/>, so it is tested without the grain runtime.
/// </summary>
/// <remarks>
/// <para>Phases: CONNECTING until <c>start</c>; CONNECTED while a socket (observer) is attached; DISCONNECTED or FAILED
/// at the end, then a retention period (snapshots stay readable) after which <see cref="TickAsync"/> returns
/// <see cref="SessionTick.RetentionElapsed"/> and the grain deactivates.</para>
/// <para>Inbound: every message with a sequence number (media, mark, dtmf, stop) refreshes the heartbeat and goes
/// through the <see cref="SequenceTracker"/> (Twilio numbers all events with one counter). Media and dtmf then pass the
/// token bucket; a dropped message is counted, the first drop of an episode is logged once, and an episode that lasts
/// <see cref="ConnectionGrainOptions.SustainedRateLimit"/> closes the socket with 1008 and FAILED(RATE_LIMIT). An
/// episode ends after <see cref="ConnectionGrainOptions.RateLimitEpisodeGap"/> without a drop. Messages after a final
/// state are ignored and counted.</para>
/// <para>Outbound: the handler's frames go to the current socket's <see cref="OutboundPump"/>, which delivers them in
/// call order. The <see cref="OutboundQueue"/> bounds them; refusals are values.</para>
/// <para>Inbound delivery: the gateway numbers each socket's events 1, 2, 3... (<see cref="InboundEvent.Delivery"/>) and
/// re-delivers what it has no acknowledgement for; <see cref="DeliverAsync"/> applies each number once. The
/// acknowledgement (<see cref="AcknowledgedThrough"/>) is not "applied" but "safe": the event is consumed by the handler
/// (after its callback, or when a handler that buffers input calls <see cref="MarkConsumed"/>) and every outbound frame
/// queued before that has reached the gateway. So when an activation dies, what the gateway still holds is exactly what
/// may not have produced its output, and the next activation replays it: events up to the checkpoint's
/// <c>AppliedThrough</c> go to the handler only (their sequence accounting and mark echoes are already in the
/// checkpoint), later ones in full.</para>
/// <para>Second <c>start</c> while CONNECTED from another gateway or observer: REFUSED (<see cref="StartRefusal.StreamLive"/>),
/// and the holder is not touched. Twilio never opens a second socket for a stream, so a newcomer is someone replaying
/// an upgrade with a known streamSid; letting it win would hand it the caller's audio and cut the real socket off. A
/// holder that really went away is found by the heartbeat, which ends the stream, so no case needs a replace. The same
/// gateway and observer again is an idempotent retry. A <c>start</c> after a final state is refused
/// (<see cref="StartRefusal.StreamEnded"/>). Both refusals carry the holder's remote address.</para>
/// <para>Heartbeat: no inbound message for <see cref="ConnectionGrainOptions.HeartbeatTimeout"/> while attached closes
/// the socket with 1000 and ends in DISCONNECTED with error CONNECTION_TIMEOUT: the caller's side went away (a
/// half-open socket, a vanished client), which is not a failure of this service, but the error code keeps it apart from
/// an orderly <c>stop</c> for counters and alerts.</para>
/// <para>Handler faults are logged and counted; the stream continues.</para>
/// <para>Checkpoints: <see cref="ToCheckpoint"/> captures what another activation needs to continue the call and
/// <see cref="RestoreAsync"/> resumes it: same state, sequence accounting, counters and pending marks (their echoes still
/// resolve), the heartbeat restarted from now, no audio accounted as buffered, and a new handler from the application
/// (created and started as on <c>start</c>; a handler that fails to start fails the call as on <c>start</c>).
/// <see cref="Changes"/> moves whenever checkpointed data changes, so the grain knows when a checkpoint is stale.</para>
/// </remarks>
internal sealed class ConnectionSession : ICallSession
{
    /// <summary>WebSocket close code for policy violations (rate limit).</summary>
    public const int PolicyViolation = 1008;

    /// <summary>WebSocket normal closure (heartbeat timeout: Twilio continues with the next TwiML verb).</summary>
    public const int NormalClosure = 1000;

    /// <summary>WebSocket close code for server faults.</summary>
    public const int InternalError = 1011;

    /// <summary>Close reason after Twilio's <c>stop</c>.</summary>
    public const string StoppedReason = "stream stopped";

    private readonly string _streamSid;
    private readonly ConnectionGrainOptions _options;
    private readonly TimeProvider _time;
    private readonly ICallApplication _application;
    private readonly ConnectionInstruments _instruments;
    private readonly ILogger _logger;
    private readonly ConnectionStateMachine _state;
    private readonly SequenceTracker _sequence;
    private readonly TokenBucket _bucket;
    private readonly OutboundQueue _queue;

    private StreamStart? _start;
    private OutboundPump? _observer;
    private string? _socketId;
    private long _consumedThrough;
    private long _replayThrough;
    // The pump of a socket the session let go (ended, closed), so deactivation can still wait for its close to leave.
    private OutboundPump? _lastPump;
    private long _deliveredThrough;
    private string? _gatewayId;
    private string? _remoteAddress;
    private ICallHandler? _handler;
    private long _lastInbound;
    private long? _episodeStart;
    private long _lastDrop;
    private DateTimeOffset _startedAt;
    private DateTimeOffset? _endedAt;
    private long _mediaReceived;
    private long _rateLimited;
    private long _refusedNotConnected;
    private double? _lastRoundTripMs;
    private bool _loggedSequenceAnomaly;

    public ConnectionSession(string streamSid, ConnectionGrainOptions options, TimeProvider time, ICallApplication application, ConnectionInstruments instruments, ILogger logger)
        : this(streamSid, options, time, application, instruments, logger, new ConnectionStateMachine(), new SequenceTracker())
    {
    }

    private ConnectionSession(
        string streamSid,
        ConnectionGrainOptions options,
        TimeProvider time,
        ICallApplication application,
        ConnectionInstruments instruments,
        ILogger logger,
        ConnectionStateMachine state,
        SequenceTracker sequence)
    {
        ArgumentNullException.ThrowIfNull(streamSid);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(instruments);
        ArgumentNullException.ThrowIfNull(logger);
        _streamSid = streamSid;
        _options = options;
        _time = time;
        _application = application;
        _instruments = instruments;
        _logger = logger;
        _state = state;
        _sequence = sequence;
        _bucket = new TokenBucket(time, options.RateLimitPerSecond, options.RateLimitBurst);
        _queue = new OutboundQueue(options.MaxBufferedAudio, options.MaxPendingMarks);
        _lastInbound = time.GetTimestamp();
    }

    /// <summary>Resumes a call from <paramref name="checkpoint"/> (see the class remarks). A live call gets a new handler,
    /// created and started through <paramref name="application"/>; an ended call gets none.</summary>
    public static async Task<ConnectionSession> RestoreAsync(
        string streamSid,
        ConnectionCheckpoint checkpoint,
        ConnectionGrainOptions options,
        TimeProvider time,
        ICallApplication application,
        ConnectionInstruments instruments,
        ILogger logger,
        Func<string, IConnectionObserver> resolveObserver,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(resolveObserver);
        ArgumentNullException.ThrowIfNull(checkpoint.Start);
        if (checkpoint.State == ConnectionState.Connecting)
        {
            throw new ArgumentException($"A checkpoint of {streamSid} in state Connecting cannot exist: checkpoints are taken after start.", nameof(checkpoint));
        }

        var sequence = SequenceTracker.Restore(
            checkpoint.SequenceFirst, checkpoint.SequenceHighest, checkpoint.SequenceGaps, checkpoint.SequenceDuplicates,
            checkpoint.SequenceReordered, checkpoint.SequenceStale, checkpoint.SequenceInvalid, checkpoint.SequenceWindow);
        var state = new ConnectionStateMachine(checkpoint.State, checkpoint.Error, checkpoint.IllegalTransitions);
        var session = new ConnectionSession(streamSid, options, time, application, instruments, logger, state, sequence)
        {
            _start = checkpoint.Start,
            _startedAt = checkpoint.StartedAt,
            _endedAt = state.IsFinal ? checkpoint.EndedAt ?? time.GetUtcNow() : null,
            _socketId = checkpoint.SocketId,
            _deliveredThrough = checkpoint.DeliveredThrough,
            _consumedThrough = checkpoint.DeliveredThrough,
            _replayThrough = checkpoint.AppliedThrough,
            _gatewayId = checkpoint.GatewayId,
            _remoteAddress = checkpoint.RemoteAddress,
            _mediaReceived = checkpoint.MediaReceived,
            _rateLimited = checkpoint.RateLimited,
            _refusedNotConnected = checkpoint.RefusedNotConnected,
            _lastRoundTripMs = checkpoint.LastRoundTripMs,
            HandlerFaults = checkpoint.HandlerFaults,
            IgnoredAfterEnd = checkpoint.IgnoredAfterEnd,
        };
        // Only a connected call has a socket to push to; a detached or ended one must not reach the old observer.
        if (checkpoint.State == ConnectionState.Connected && checkpoint.ObserverId is { } id)
        {
            session._observer = session.NewPump(resolveObserver(id), id);
        }

        session._queue.Restore(checkpoint.PendingMarks ?? [], checkpoint.MarksPlayed, checkpoint.MarksCleared,
            checkpoint.UnexpectedMarkEchoes, checkpoint.QueueRejected, checkpoint.Clears);
        if (!state.IsFinal)
        {
            await session.StartHandlerAsync(cancellationToken);
        }

        return session;
    }

    public string StreamSid => _streamSid;

    public StreamStart Start => _start ?? throw new InvalidOperationException("The stream has not started.");

    public double BufferedMs => _queue.BufferedMs;

    public ConnectionState State => _state.State;

    public ConnectionErrorCode Error => _state.Error;

    public long IllegalTransitions => _state.IllegalTransitions;

    public long HandlerFaults { get; private set; }

    public long IgnoredAfterEnd { get; private set; }

    public long UnexpectedMarkEchoes => _queue.UnexpectedEchoes;

    public long OutboundRejected => _queue.Rejected + _refusedNotConnected;

    public string? GatewayId => _gatewayId;

    /// <summary>True once <c>start</c> was accepted (a checkpoint can be taken).</summary>
    public bool HasStarted => _start is not null;

    /// <summary>True in DISCONNECTED or FAILED.</summary>
    public bool IsFinal => _state.IsFinal;

    /// <summary>Moves whenever data kept in a checkpoint changes (inbound sequence, marks, state, socket).</summary>
    public long Changes { get; private set; }

    /// <summary>Highest inbound sequence number seen.</summary>
    public long LastSequenceNumber => _sequence.Highest;

    /// <summary>Marks awaiting their echo.</summary>
    public int PendingMarks => _queue.PendingMarks;

    /// <summary>Everything another activation needs to continue this call (see <see cref="ConnectionCheckpoint"/>).</summary>
    public ConnectionCheckpoint ToCheckpoint() => new(
        Start,
        _observer?.ObserverId,
        _gatewayId,
        State,
        Error,
        _startedAt,
        _endedAt,
        _sequence.First,
        _sequence.Highest,
        _sequence.Gaps,
        _sequence.Duplicates,
        _sequence.Reordered,
        _sequence.Stale,
        _sequence.Invalid,
        _sequence.CopyWindow(),
        _queue.PendingMarkList(),
        _mediaReceived,
        _rateLimited,
        _refusedNotConnected,
        HandlerFaults,
        IgnoredAfterEnd,
        IllegalTransitions,
        _queue.MarksPlayed,
        _queue.MarksCleared,
        _queue.UnexpectedEchoes,
        _queue.Rejected,
        _queue.Clears,
        _lastRoundTripMs,
        _socketId,
        AcknowledgedThrough,
        _deliveredThrough,
        _remoteAddress);

    /// <summary>Completes when the current socket's outbound pump has delivered (or dropped) what was queued.</summary>
    public Task OutboundDrained => (_observer ?? _lastPump)?.Drained ?? Task.CompletedTask;

    /// <summary>Highest delivery number applied for the current socket.</summary>
    public long DeliveredThrough => _deliveredThrough;

    /// <summary>Highest delivery number that is safe to forget: consumed, and its output delivered to the gateway.</summary>
    public long AcknowledgedThrough => _observer is { } pump ? pump.SafeThrough(_consumedThrough) : _consumedThrough;

    /// <inheritdoc />
    public void MarkConsumed() => _consumedThrough = _deliveredThrough;

    /// <summary>Applies <paramref name="batch"/>'s events in order, skipping those already applied (a re-delivery). A
    /// batch from a socket other than the attached one (replaced, or the call ended) is not applied.</summary>
    public async Task<DeliveryAck> DeliverAsync(InboundBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!string.Equals(batch.SocketId, _socketId, StringComparison.Ordinal))
        {
            IgnoredAfterEnd += batch.Events.Count;
            return new DeliveryAck(0, false);
        }

        // No outbound batch is cut while an event is half handled (see OutboundPump's remarks on the watermark).
        var pump = _observer;
        pump?.Hold();
        try
        {
            await ApplyAsync(batch, cancellationToken);
        }
        finally
        {
            pump?.Release();
        }

        return new DeliveryAck(AcknowledgedThrough, !IsFinal);
    }

    private async Task ApplyAsync(InboundBatch batch, CancellationToken cancellationToken)
    {
        foreach (var item in batch.Events)
        {
            if (item.Delivery <= _deliveredThrough)
            {
                continue;
            }

            _deliveredThrough = item.Delivery;
            if (item.Delivery <= _replayThrough)
            {
                await ReplayAsync(item, cancellationToken);
                continue;
            }

            switch (item.Kind)
            {
                case InboundKind.Media when item.Media is { } media:
                    await OnMediaAsync(media, cancellationToken);
                    break;
                case InboundKind.Mark when item.Mark is { } mark:
                    await OnMarkAsync(mark, cancellationToken);
                    break;
                case InboundKind.Dtmf when item.Dtmf is { } dtmf:
                    await OnDtmfAsync(dtmf, cancellationToken);
                    break;
            }

            if (_handler is not { AcknowledgesInput: true })
            {
                _consumedThrough = item.Delivery;
            }
        }
    }

    // An event the lost activation applied after its checkpoint's sequence accounting but whose output may be lost: the
    // new handler gets it again; counters, the sequence tracker and mark echoes are not touched twice.
    private async Task ReplayAsync(InboundEvent item, CancellationToken cancellationToken)
    {
        switch (item.Kind)
        {
            case InboundKind.Media when item.Media is { } media && State == ConnectionState.Connected:
                await InvokeAsync(static (h, m, ct) => h.OnMediaAsync(m, ct), media, nameof(ICallHandler.OnMediaAsync), cancellationToken);
                break;
            case InboundKind.Dtmf when item.Dtmf is { } dtmf && State == ConnectionState.Connected:
                await InvokeAsync(static (h, d, ct) => h.OnDtmfAsync(d, ct), dtmf, nameof(ICallHandler.OnDtmfAsync), cancellationToken);
                break;
        }

        if (_handler is not { AcknowledgesInput: true })
        {
            _consumedThrough = item.Delivery;
        }
    }

    /// <summary>Processes <c>start</c> from <paramref name="origin"/>, whose socket is reached through <paramref name="observer"/>.</summary>
    /// <remarks><paramref name="observerId"/> is the observer's identity (its grain id), stored in checkpoints;
    /// inbound delivery numbers are scoped by the origin's socket.</remarks>
    public async Task<AttachResult> StartAsync(StreamStart start, IConnectionObserver observer, string observerId, SocketOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(observerId);
        ArgumentNullException.ThrowIfNull(origin);

        switch (State)
        {
            case ConnectionState.Disconnected or ConnectionState.Failed:
                return Refuse(StartRefusal.StreamEnded, "stream has ended", origin);

            case ConnectionState.Connected when observerId == _observer?.ObserverId && string.Equals(origin.GatewayId, _gatewayId, StringComparison.Ordinal):
                return new AttachResult(true, State, "already attached");

            case ConnectionState.Connected:
                return Refuse(StartRefusal.StreamLive, "stream is live on another socket", origin);

            case ConnectionState.Reconnecting:
                // The holder is known gone (detached), so a socket may take the call on.
                _observer = NewPump(observer, observerId);
                Attach(origin);
                Changes++;
                Transition(ConnectionState.Connected, ConnectionErrorCode.None);
                return new AttachResult(true, State, "re-attached");
        }

        _start = start;
        _startedAt = _time.GetUtcNow();
        _observer = NewPump(observer, observerId);
        Attach(origin);
        ObserveSequence(start.SequenceNumber);
        Changes++;
        Transition(ConnectionState.Connected, ConnectionErrorCode.None);
        if (await StartHandlerAsync(cancellationToken))
        {
            return new AttachResult(true, State, null);
        }

        _instruments.StartsRefused.Add(1);
        return new AttachResult(false, State, "application failed to start", StartRefusal.ApplicationFailed);
    }

    /// <summary>A first <c>start</c> for a call that is streaming on another <c>streamSid</c>: refused like a second
    /// socket (<see cref="StartRefusal.StreamLive"/>), and this stream stays CONNECTING.</summary>
    public AttachResult RefuseSecondStreamOfCall(string callSid, string? holderStreamSid, string? holderRemoteAddress, SocketOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return Refuse(StartRefusal.StreamLive, $"call {callSid} is streaming on another stream", origin, holderRemoteAddress, holderStreamSid);
    }

    /// <summary>The attached socket is known lost but the call may continue on another: CONNECTED → RECONNECTING.</summary>
    public bool DetachObserver()
    {
        if (!Transition(ConnectionState.Reconnecting, ConnectionErrorCode.None))
        {
            return false;
        }

        _observer = null;
        Changes++;
        return true;
    }

    /// <summary>An inbound <c>media</c> message (hot path).</summary>
    public async Task OnMediaAsync(InboundMedia media, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        if (!AcceptInbound(media.SequenceNumber))
        {
            return;
        }

        _mediaReceived++;
        if (!await PassRateLimitAsync(cancellationToken) || _handler is null)
        {
            return;
        }

        try
        {
            await _handler.OnMediaAsync(media, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HandlerFaults++;
            ConnectionLog.HandlerFault(_logger, _streamSid, nameof(ICallHandler.OnMediaAsync), ex);
        }
    }

    /// <summary>Twilio echoed a mark.</summary>
    public async Task OnMarkAsync(MarkEcho mark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mark);
        if (!AcceptInbound(mark.SequenceNumber) || MarkNames.IsGatewayProbe(mark.Name))
        {
            // A gateway probe's echo is the gateway's business (it measures playback); here it only counted in sequence.
            return;
        }

        var result = _queue.OnMarkEcho(mark.Name);
        if (result.Outcome == MarkOutcome.Unexpected || result.Skipped.Count > 0)
        {
            ConnectionLog.UnexpectedMark(_logger, _streamSid, mark.Name ?? string.Empty, result.Skipped.Count);
        }

        // Marks passed over by an out-of-order echo are reported first, in the order they were sent.
        foreach (var skipped in result.Skipped)
        {
            await InvokeAsync(static (h, s, ct) => h.OnMarkAsync(s.Name, s.Outcome, ct), skipped, nameof(ICallHandler.OnMarkAsync), cancellationToken);
        }

        if (result.Outcome != MarkOutcome.Unexpected)
        {
            await InvokeAsync(static (h, s, ct) => h.OnMarkAsync(s.Name, s.Outcome, ct), (Name: mark.Name!, result.Outcome), nameof(ICallHandler.OnMarkAsync), cancellationToken);
        }
    }

    /// <summary>A DTMF key press (rate limited like media).</summary>
    public async Task OnDtmfAsync(DtmfEvent dtmf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dtmf);
        if (!AcceptInbound(dtmf.SequenceNumber) || !await PassRateLimitAsync(cancellationToken))
        {
            return;
        }

        await InvokeAsync(static (h, d, ct) => h.OnDtmfAsync(d, ct), dtmf, nameof(ICallHandler.OnDtmfAsync), cancellationToken);
    }

    /// <summary>Twilio's <c>stop</c>: the handler may flush, then the session is DISCONNECTED.</summary>
    public async Task StopAsync(StreamStop stop, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stop);
        if (!AcceptInbound(stop.SequenceNumber))
        {
            return;
        }

        // The handler runs first, while sends are still accepted, so a last partial chunk can go out. The close then
        // goes through the same observer, behind that audio: observer calls are delivered in order, so the gateway
        // writes the final audio before it closes the socket.
        await InvokeAsync(static (h, _, ct) => h.OnStopAsync(ConnectionErrorCode.None, ct), 0, nameof(ICallHandler.OnStopAsync), cancellationToken);
        var observer = _observer;
        if (Transition(ConnectionState.Disconnected, ConnectionErrorCode.None) && observer is not null)
        {
            _observer = null;
            _lastPump = observer;
            observer.Close(new CloseInstruction(NormalClosure, StoppedReason, ConnectionErrorCode.None));
        }
    }

    /// <summary>The socket closed without <c>stop</c>: DISCONNECTED after a close frame, FAILED(NETWORK_FAILURE) when it broke.</summary>
    public async Task SocketClosedAsync(SocketClosure closure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(closure);
        if (_state.IsFinal)
        {
            IgnoredAfterEnd++;
            return;
        }

        var (state, error) = closure.CloseStatus is null
            ? (ConnectionState.Failed, ConnectionErrorCode.NetworkFailure)
            : (ConnectionState.Disconnected, ConnectionErrorCode.None);
        Transition(state, error);
        _observer = null;
        await InvokeAsync(static (h, e, ct) => h.OnStopAsync(e, ct), error, nameof(ICallHandler.OnStopAsync), cancellationToken);
    }

    /// <summary>A ping round trip measured by the gateway; spikes over the threshold are logged.</summary>
    public void ReportRoundTrip(double roundTripMs)
    {
        if (double.IsNaN(roundTripMs) || double.IsInfinity(roundTripMs) || roundTripMs < 0)
        {
            return;
        }

        _lastRoundTripMs = roundTripMs;
        if (roundTripMs > _options.LatencySpikeThresholdMs)
        {
            ConnectionLog.LatencySpike(_logger, _streamSid, roundTripMs, _options.LatencySpikeThresholdMs);
        }
    }

    /// <summary>Periodic check (the grain's heartbeat timer): heartbeat timeout while live, retention when final.</summary>
    public async Task<SessionTick> TickAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_state.IsFinal)
        {
            // Wall clock, not timestamps: the end time may come from a checkpoint written by another process.
            var ended = _time.GetUtcNow() - (_endedAt ?? _time.GetUtcNow());
            return ended >= _options.RetentionPeriod ? SessionTick.RetentionElapsed : SessionTick.None;
        }

        if (State is ConnectionState.Connected or ConnectionState.Reconnecting)
        {
            var silence = _time.GetElapsedTime(_lastInbound, now);
            if (silence >= _options.HeartbeatTimeout)
            {
                ConnectionLog.HeartbeatTimeout(_logger, _streamSid, silence, ConnectionErrorCode.ConnectionTimeout);
                await EndAsync(ConnectionState.Disconnected, NormalClosure, "connection timeout: no inbound message", ConnectionErrorCode.ConnectionTimeout, cancellationToken);
                return SessionTick.HeartbeatTimedOut;
            }
        }

        return SessionTick.None;
    }

    /// <inheritdoc />
    public EnqueueResult SendMedia(ReadOnlySpan<byte> audio)
    {
        if (_observer is null || State != ConnectionState.Connected)
        {
            _refusedNotConnected++;
            return new EnqueueResult(false, BufferedMs, $"stream is {State}, not connected");
        }

        if (!_queue.TryEnqueueMedia(audio.Length))
        {
            return new EnqueueResult(false, BufferedMs,
                $"outbound queue full: {BufferedMs} ms buffered + {(double)audio.Length / OutboundQueue.BytesPerMs} ms would exceed {_options.MaxBufferedAudio.TotalMilliseconds} ms");
        }

        _observer.Send(new OutboundFrame(OutboundKind.Media, audio.ToArray(), null));
        return new EnqueueResult(true, BufferedMs, null);
    }

    /// <inheritdoc />
    public EnqueueResult SendMark(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_observer is null || State != ConnectionState.Connected)
        {
            _refusedNotConnected++;
            return new EnqueueResult(false, BufferedMs, $"stream is {State}, not connected");
        }

        if (MarkNames.IsGatewayProbe(name))
        {
            return new EnqueueResult(false, BufferedMs, $"mark names starting '{MarkNames.GatewayProbePrefix}' are reserved for the gateway");
        }

        if (!_queue.TryEnqueueMark(name))
        {
            return new EnqueueResult(false, BufferedMs, $"too many pending marks: {_queue.PendingMarks} (limit {_options.MaxPendingMarks})");
        }

        Changes++;
        _observer.Send(new OutboundFrame(OutboundKind.Mark, null, name));
        return new EnqueueResult(true, BufferedMs, null);
    }

    /// <inheritdoc />
    public void Clear()
    {
        if (_observer is null || State != ConnectionState.Connected)
        {
            return;
        }

        // Recorded before the frame leaves: the echoes that follow must already read as cleared.
        _queue.Clear();
        Changes++;
        _observer.Send(new OutboundFrame(OutboundKind.Clear, null, null));
    }

    /// <summary>Current state and counters.</summary>
    public ConnectionSnapshot GetSnapshot() => new(
        _streamSid,
        _start?.CallSid,
        State,
        Error,
        _mediaReceived,
        _sequence.Highest,
        _sequence.Gaps,
        _sequence.Duplicates,
        _sequence.Reordered,
        _rateLimited,
        _queue.BufferedMs,
        _queue.MarksPlayed,
        _queue.MarksCleared,
        _queue.PendingMarks,
        _lastRoundTripMs,
        OutboundRejected);

    private bool AcceptInbound(long sequenceNumber)
    {
        if (_state.IsFinal)
        {
            IgnoredAfterEnd++;
            return false;
        }

        _lastInbound = _time.GetTimestamp();
        ObserveSequence(sequenceNumber);
        Changes++;
        return true;
    }

    // Gaps, duplicates and reordering are facts about the transport, never errors of this stream: counted (snapshot and
    // metrics), the first one logged, and the message is processed as usual.
    private void ObserveSequence(long sequenceNumber)
    {
        var gapsBefore = _sequence.Gaps;
        var observation = _sequence.Observe(sequenceNumber);
        if (observation == SequenceObservation.InOrder)
        {
            return;
        }

        _instruments.SequenceAnomaly(observation, observation == SequenceObservation.Gap ? _sequence.Gaps - gapsBefore : 1);
        if (!_loggedSequenceAnomaly)
        {
            _loggedSequenceAnomaly = true;
            ConnectionLog.SequenceAnomaly(_logger, _streamSid, observation, sequenceNumber, _sequence.Highest);
        }
    }

    private async ValueTask<bool> PassRateLimitAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_bucket.TryTake())
        {
            if (_episodeStart is not null && _time.GetElapsedTime(_lastDrop, now) >= _options.RateLimitEpisodeGap)
            {
                _episodeStart = null;
            }

            return true;
        }

        _rateLimited++;
        _instruments.RateLimited.Add(1);
        if (_episodeStart is null || _time.GetElapsedTime(_lastDrop, now) >= _options.RateLimitEpisodeGap)
        {
            _episodeStart = now;
            ConnectionLog.RateLimitEpisodeStarted(_logger, _streamSid, _options.RateLimitPerSecond, _options.RateLimitBurst);
        }

        _lastDrop = now;
        var over = _time.GetElapsedTime(_episodeStart.Value, now);
        if (over >= _options.SustainedRateLimit)
        {
            ConnectionLog.RateLimitSustained(_logger, _streamSid, over, ConnectionErrorCode.RateLimit);
            await FailAsync(PolicyViolation, "rate limit exceeded", ConnectionErrorCode.RateLimit, cancellationToken);
        }

        return false;
    }

    private Task FailAsync(int closeStatus, string reason, ConnectionErrorCode error, CancellationToken cancellationToken)
        => EndAsync(ConnectionState.Failed, closeStatus, reason, error, cancellationToken);

    // Ends the call in a final state: closes the socket through the observer, then tells the handler.
    private async Task EndAsync(ConnectionState final, int closeStatus, string reason, ConnectionErrorCode error, CancellationToken cancellationToken)
    {
        var observer = _observer;
        if (!Transition(final, error))
        {
            return;
        }

        _observer = null;
        if (observer is not null)
        {
            _lastPump = observer;
            observer.Close(new CloseInstruction(closeStatus, reason, error));
        }

        await InvokeAsync(static (h, e, ct) => h.OnStopAsync(e, ct), error, nameof(ICallHandler.OnStopAsync), cancellationToken);
    }

    private bool Transition(ConnectionState to, ConnectionErrorCode error)
    {
        var from = State;
        if (!_state.TryTransition(to, error))
        {
            ConnectionLog.IllegalTransition(_logger, _streamSid, from, to, error);
            return false;
        }

        ConnectionLog.StateChanged(_logger, _streamSid, from, to, error);
        Changes++;
        if (_state.IsFinal)
        {
            _endedAt = _time.GetUtcNow();
            _instruments.StreamEnded(to, error);
        }

        return true;
    }

    // Creates and starts the handler (on start, and on restore of a live call); false when the application failed,
    // which fails the call with 1011 and SERVER_ERROR.
    private async Task<bool> StartHandlerAsync(CancellationToken cancellationToken)
    {
        try
        {
            _handler = _application.CreateHandler(this);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HandlerFaults++;
            ConnectionLog.HandlerFault(_logger, _streamSid, nameof(ICallApplication.CreateHandler), ex);
            await FailAsync(InternalError, "application failed to start", ConnectionErrorCode.ServerError, cancellationToken);
            return false;
        }

        await InvokeAsync(static (h, _, ct) => h.OnStartAsync(ct), 0, nameof(ICallHandler.OnStartAsync), cancellationToken);
        return true;
    }

    /// <summary>The grain is handing the call off to another silo (graceful shutdown): lets the handler flush what it
    /// buffered, while the observer still accepts audio. No state changes: the call continues elsewhere.</summary>
    public Task HandOffAsync(CancellationToken cancellationToken)
        => HasStarted && !IsFinal
            ? InvokeAsync(static (h, _, ct) => h.OnHandOffAsync(ct), 0, nameof(ICallHandler.OnHandOffAsync), cancellationToken)
            : Task.CompletedTask;

    private async Task InvokeAsync<TState>(Func<ICallHandler, TState, CancellationToken, Task> callback, TState state, string name, CancellationToken cancellationToken)
    {
        if (_handler is null)
        {
            return;
        }

        try
        {
            await callback(_handler, state, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HandlerFaults++;
            ConnectionLog.HandlerFault(_logger, _streamSid, name, ex);
        }
    }

    // The holder is this stream's own socket unless another stream of the call holds it (the call grain named it).
    private AttachResult Refuse(StartRefusal refusal, string reason, SocketOrigin origin, string? holderRemoteAddress = null, string? holderStreamSid = null)
    {
        var holder = holderStreamSid is null ? _remoteAddress : holderRemoteAddress;
        _instruments.StartsRefused.Add(1);
        ConnectionLog.StartRefused(_logger, _streamSid, origin.GatewayId, origin.RemoteAddress, holderStreamSid is null ? reason : $"{reason} ({holderStreamSid})", holder);
        return new AttachResult(false, State, reason, refusal, holder);
    }

    private void Attach(SocketOrigin origin)
    {
        AttachSocket(origin.SocketId);
        _gatewayId = origin.GatewayId;
        _remoteAddress = origin.RemoteAddress;
        _lastInbound = _time.GetTimestamp();
    }

    private OutboundPump NewPump(IConnectionObserver observer, string observerId) => new(observer, observerId, _streamSid, _time, _logger, () => _consumedThrough);

    // A new socket's delivery numbers start again at 1; the same socket re-attaching keeps its count.
    private void AttachSocket(string socketId)
    {
        if (!string.Equals(socketId, _socketId, StringComparison.Ordinal))
        {
            _socketId = socketId;
            _deliveredThrough = 0;
            _consumedThrough = 0;
            _replayThrough = 0;
        }
    }
}
