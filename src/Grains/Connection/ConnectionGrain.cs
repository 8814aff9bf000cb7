using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;
using Switchboard.Grains.Applications;

namespace Switchboard.Grains.Connection;

/// <summary>
/// The per-stream grain (key: <c>streamSid</c>). Thin glue: all rules live in <see cref="ConnectionSession"/>
/// (state machine, sequence accounting, rate limit, heartbeat, outbound queue, one socket per stream).
/// This class owns only the Orleans side: the heartbeat timer (period
/// <see cref="ConnectionGrainOptions.HeartbeatCheckPeriod"/>, kept alive while the stream lives), the session's
/// checkpoint in grain storage, and self-deactivation once the retention period after the final state is over.
/// </summary>
/// <remarks>
/// <para>Checkpoint (grain state <see cref="StateName"/> in storage <see cref="StorageName"/>, a <see cref="ConnectionCheckpoint"/>) lets a new activation on any
/// silo continue the call after this one is lost. Invariants: nothing is stored before a <c>start</c> was accepted; the
/// checkpoint is written, awaited inside the turn, when <c>Start</c> is accepted and whenever the call enters a final
/// state; otherwise the heartbeat tick writes it when <see cref="ConnectionSession.Changes"/> moved since the last write,
/// at most every <see cref="ConnectionGrainOptions.CheckpointPeriod"/>, without holding the turn (a slow or unreachable
/// store must not stall the call's media behind it); a graceful deactivation writes it if anything changed; the
/// deactivation that follows the retention period clears it. One write at a time: every other write first waits for a
/// periodic one in flight, because each write carries the ETag the previous one returned.</para>
/// <para>Restore: <see cref="OnActivateAsync"/> reads the checkpoint and resumes the call
/// (<see cref="ConnectionSession.RestoreAsync"/>); the heartbeat timer is re-armed for a live call, and for an ended one
/// too, because its retention must still run out and clear the record.</para>
/// <para>Failure modes: a failed write is logged and the call goes on; the checkpoint stays dirty and the next tick
/// retries. A write refused for its ETag means another activation wrote since this one: this activation is the
/// duplicate, so it stops writing and deactivates, and its successor owns the call. A failed read fails the activation
/// (the caller sees the storage error and may retry): starting blank would drop the live call and later conflict with its
/// record. A silo crash loses what changed since the last write (about one <c>CheckpointPeriod</c> of inbound accounting
/// and mark changes); audio in flight and the handler's memory are never kept.</para>
/// </remarks>
[GrainType(GrainTypeName)]
internal sealed class ConnectionGrain(
    IOptions<ConnectionGrainOptions> options,
    TimeProvider timeProvider,
    ICallApplication application,
    ConnectionInstruments instruments,
    [PersistentState(ConnectionGrain.StateName, ConnectionGrain.StorageName)] IPersistentState<ConnectionCheckpointState> checkpoint,
    ILogger<ConnectionGrain> logger) : Grain, IConnectionGrain
{
    /// <summary>The grain type name (fixed, so renaming the class changes neither placement nor stored rows).</summary>
    public const string GrainTypeName = "connection";

    /// <summary>Name of the grain state that holds the session checkpoint.</summary>
    public const string StateName = "session";

    /// <summary>Name of the grain storage provider the checkpoint lives in.</summary>
    public const string StorageName = "connections";

    // Deactivation waits this long for the last outbound batch (audio flushed on stop, the close) to reach the gateway.
    private static readonly TimeSpan s_outboundDrainBudget = TimeSpan.FromSeconds(2);

    private ConnectionSession? _session;
    private IGrainTimer? _timer;
    private long _writtenChanges;
    private long _lastWriteAt;
    private bool _finalWritten;
    private bool _retentionElapsed;
    private bool _steppedDown;
    private Task _periodicWrite = Task.CompletedTask;
    private int _failedWrites;

    private const string PeriodicTrigger = "periodic";

    private ConnectionSession Session => _session ?? throw new InvalidOperationException("The connection grain is not activated.");

    // A final state not yet stored must be written before the turn ends.
    private bool FinalWriteDue => _session is { IsFinal: true, HasStarted: true } && !_finalWritten && IsDirty;

    private bool IsDirty => !_steppedDown && _session is { HasStarted: true } session && session.Changes != _writtenChanges;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var streamSid = this.GetPrimaryKeyString();
        instruments.ActivationStarted();
        _lastWriteAt = timeProvider.GetTimestamp();
        // Orleans read the state before activation; a failed read fails the activation.
        if (checkpoint.State.Checkpoint is not { } saved)
        {
            _session = new ConnectionSession(streamSid, options.Value, timeProvider, application, instruments, logger);
            return;
        }

        // The restored session's Changes start at 0 = _writtenChanges: what was restored is what is stored.
        _session = await ConnectionSession.RestoreAsync(streamSid, saved, options.Value, timeProvider, application, instruments, logger,
            id => GrainFactory.GetGrain<IConnectionObserver>(GrainId.Parse(id)), cancellationToken);
        _finalWritten = saved.State is ConnectionState.Disconnected or ConnectionState.Failed;
        ConnectionCheckpointLog.Restored(logger, streamSid, _session.State, _session.LastSequenceNumber, _session.PendingMarks, saved.GatewayId ?? string.Empty);
        ArmTimer();
        if (FinalWriteDue)
        {
            // The application failed to start the restored handler: that failure is a final state.
            await WriteCheckpointAsync("final state", cancellationToken);
        }
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        instruments.ActivationEnded();
        _timer?.Dispose();
        _timer = null;
        await PeriodicWriteDone();
        if (_steppedDown)
        {
            return;
        }

        if (_retentionElapsed)
        {
            try
            {
                await checkpoint.ClearStateAsync(cancellationToken);
                ConnectionCheckpointLog.Cleared(logger, Session.StreamSid);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ConnectionCheckpointLog.ClearFailed(logger, Session.StreamSid, ex);
            }

            return;
        }

        if (reason.ReasonCode is DeactivationReasonCode.ShuttingDown or DeactivationReasonCode.Migrating && _session is not null)
        {
            // The call continues on another silo: what the application buffered would die with this one.
            await _session.HandOffAsync(cancellationToken);
        }

        if (_session is not null)
        {
            // Audio flushed on stop or hand-off, and a close, must leave before this activation goes.
            await Task.WhenAny(_session.OutboundDrained, Task.Delay(s_outboundDrainBudget, timeProvider, cancellationToken));
        }

        if (IsDirty)
        {
            await WriteCheckpointAsync("deactivation", cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<AttachResult> Start(StreamStart start, IConnectionObserver observer, string gatewayId, string socketId, string? remoteAddress = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(observer);
        var origin = new SocketOrigin(gatewayId, socketId, remoteAddress);
        if (Session.State == ConnectionState.Connecting)
        {
            // A first start: one live stream per call, wherever its other stream's socket landed.
            var claim = await GrainFactory.GetGrain<ICallGrain>(start.CallSid).Claim(Session.StreamSid, remoteAddress);
            if (!claim.Granted)
            {
                return Session.RefuseSecondStreamOfCall(start.CallSid, claim.HolderStreamSid, claim.HolderRemoteAddress, origin);
            }
        }

        var result = await Session.StartAsync(start, observer, observer.GetGrainId().ToString(), origin, CancellationToken.None);
        if (Session.HasStarted && _timer is null && !_steppedDown)
        {
            ArmTimer();
        }

        if (IsDirty && (result.Accepted || FinalWriteDue))
        {
            await WriteCheckpointAsync(result.Accepted ? "start" : "final state", CancellationToken.None);
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<DeliveryAck> Deliver(InboundBatch batch)
    {
        var ack = await Session.DeliverAsync(batch, CancellationToken.None);
        if (FinalWriteDue)
        {
            await WriteCheckpointAsync("final state", CancellationToken.None);
        }

        return ack;
    }

    /// <inheritdoc />
    public Task Stop(StreamStop stop) => AfterInbound(Session.StopAsync(stop, CancellationToken.None));

    /// <inheritdoc />
    public Task SocketClosed(SocketClosure closure) => AfterInbound(Session.SocketClosedAsync(closure, CancellationToken.None));

    /// <inheritdoc />
    public Task ReportRoundTrip(double roundTripMs)
    {
        Session.ReportRoundTrip(roundTripMs);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<EnqueueResult> EnqueueMedia(byte[] audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        return Task.FromResult(Session.SendMedia(audio));
    }

    /// <inheritdoc />
    public Task<EnqueueResult> EnqueueMark(string name) => Task.FromResult(Session.SendMark(name));

    /// <inheritdoc />
    public Task Clear()
    {
        Session.Clear();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ConnectionSnapshot> GetSnapshot() => Task.FromResult(Session.GetSnapshot());

    // Hot path: media normally completes synchronously and changes no final state, so no extra state machine.
    private Task AfterInbound(Task operation)
        => operation.IsCompletedSuccessfully && !FinalWriteDue ? operation : AfterInboundAsync(operation);

    private async Task AfterInboundAsync(Task operation)
    {
        await operation;
        if (FinalWriteDue)
        {
            await WriteCheckpointAsync("final state", CancellationToken.None);
        }
    }

    // Every write carries the ETag the previous one returned, so no write may overlap a periodic one still in flight.
    // That write handles and logs its own outcome; only its completion matters here.
    private Task PeriodicWriteDone()
        => _periodicWrite.IsCompleted
            ? Task.CompletedTask
            : _periodicWrite.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Current);

    private void ArmTimer()
    {
        var period = options.Value.HeartbeatCheckPeriod;
        _timer = this.RegisterGrainTimer(OnTickAsync, new GrainTimerCreationOptions { DueTime = period, Period = period, KeepAlive = true });
    }

    private async Task OnTickAsync(CancellationToken cancellationToken)
    {
        if (await Session.TickAsync(cancellationToken) == SessionTick.RetentionElapsed)
        {
            _timer?.Dispose();
            _timer = null;
            _retentionElapsed = true;
            DeactivateOnIdle();
            return;
        }

        if (FinalWriteDue)
        {
            await WriteCheckpointAsync("final state", cancellationToken);
        }
        else if (IsDirty && _periodicWrite.IsCompleted && timeProvider.GetElapsedTime(_lastWriteAt) >= options.Value.CheckpointPeriod)
        {
            // Not awaited, so media keeps flowing while the store is slow or down. Its continuations still run on this
            // activation's scheduler, one at a time with the grain's turns; the timer's token is not passed because
            // disposing the timer must not cancel a write that deactivation will wait for.
            _periodicWrite = WriteCheckpointAsync(PeriodicTrigger, CancellationToken.None);
        }
    }

    private async Task WriteCheckpointAsync(string trigger, CancellationToken cancellationToken)
    {
        if (trigger != PeriodicTrigger)
        {
            await PeriodicWriteDone();
        }

        var session = Session;
        var changes = session.Changes;
        var taken = session.ToCheckpoint();
        checkpoint.State.Checkpoint = taken;
        try
        {
            await checkpoint.WriteStateAsync(cancellationToken);
        }
        catch (InconsistentStateException ex)
        {
            // Someone else wrote since this activation read or wrote: it is the duplicate. Its successor owns the call.
            _steppedDown = true;
            _timer?.Dispose();
            _timer = null;
            ConnectionCheckpointLog.SteppedDown(logger, session.StreamSid, ex);
            DeactivateOnIdle();
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never fails the call: the checkpoint stays dirty and the next tick retries. One warning (with the
            // exception) per outage, not one per second per call: a store outage must not flood the log.
            if (++_failedWrites == 1)
            {
                ConnectionCheckpointLog.WriteFailed(logger, session.StreamSid, trigger, ex);
            }
            else
            {
                ConnectionCheckpointLog.WriteStillFailing(logger, session.StreamSid, trigger, _failedWrites, ex.Message);
            }

            return;
        }

        if (_failedWrites > 0)
        {
            ConnectionCheckpointLog.WriteRecovered(logger, session.StreamSid, trigger, _failedWrites);
            _failedWrites = 0;
        }

        _writtenChanges = changes;
        _lastWriteAt = timeProvider.GetTimestamp();
        _finalWritten |= taken.State is ConnectionState.Disconnected or ConnectionState.Failed;
        ConnectionCheckpointLog.Written(logger, session.StreamSid, trigger, taken.State, taken.SequenceHighest, taken.PendingMarks.Count);
    }
}
