using Switchboard.Runtime.Core;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.GrainDirectory;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Timers;

namespace Switchboard.Runtime.Catalog;

/// <summary>
/// One activation of one grain: its instance, its mailbox and its turn scheduler.
///
/// Invariants:
/// - All grain code of the activation (constructor, OnActivate/OnDeactivate, requests, timer callbacks and every
///   continuation after an await in them) runs on <see cref="_scheduler"/>, an exclusive scheduler: never two threads at once.
/// - Turn rules, checked in <see cref="PumpLocked"/> under <see cref="_lock"/>: an exclusive item (default) starts only when
///   no exclusive or read-only item is running and holds the activation until its Task completes; read-only items run
///   alongside each other; AlwaysInterleave items start at once. Non-interleaving items start in arrival order (FIFO);
///   a waiting exclusive item also blocks later read-only items, so nothing starves.
/// - No request starts before OnActivateAsync completed. If activation fails, every waiting request fails with that
///   exception and the activation leaves the catalog; the next message creates a fresh one.
/// - Deactivation starts only with nothing running (and, when the silo is shutting down, no message waiting: a hand-off
///   processes what already arrived). From then on arriving messages are held and, once the activation has
///   left the catalog, re-delivered, which creates the next activation: there are never two live activations of one id.
/// Failure modes: a turn that never completes holds the activation forever (callers time out, idle collection skips it);
/// OnActivate/OnDeactivate are bounded by their timeouts but keep running in the background if they ignore cancellation.
/// </summary>
internal sealed class GrainActivation : IGrainContext
{
    private readonly Lock _lock = new();
    private readonly LinkedList<WorkItem> _waiting = new();
    private readonly List<Message> _held = [];
    private readonly List<GrainTimer> _timers = [];
    private readonly TaskScheduler _scheduler = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
    private readonly GrainCatalog _catalog;
    private readonly GrainClass _grainClass;
    private readonly ActivationServices _services;
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private object? _instance;
    private int _runningExclusive;
    private int _runningReadOnly;
    private int _runningInterleaved;
    private DateTimeOffset _lastActivity;
    private DateTimeOffset _keepAliveUntil;
    private DeactivationReason? _deactivationRequested;
    private GrainAddress? _registration;

    public GrainActivation(GrainId grainId, GrainClass grainClass, GrainCatalog catalog, ActivationServices services)
    {
        GrainId = grainId;
        _grainClass = grainClass;
        _catalog = catalog;
        _services = services;
        _lastActivity = services.TimeProvider.GetUtcNow();
    }

    public GrainId GrainId { get; }

    public IGrainFactory GrainFactory => _services.GrainFactory;

    public ActivationState State { get; private set; } = ActivationState.Activating;

    /// <summary>Completes once the activation has left the catalog.</summary>
    public Task Deactivated => _deactivated.Task;

    internal object? Instance => _instance;

    /// <summary>Turns started and not yet completed (plus those waiting); zero means the activation is quiescent.</summary>
    internal int RunningCount
    {
        get
        {
            lock (_lock)
            {
                return _runningExclusive + _runningReadOnly + _runningInterleaved + _waiting.Count;
            }
        }
    }

    internal int TimerCount
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count;
            }
        }
    }

    /// <summary>Runs the grain constructor and OnActivateAsync on the activation's scheduler. Called once, by the
    /// catalog, after this activation won the race to be registered.</summary>
    public void Start() => RunOnScheduler(ActivateAsync);

    /// <summary>Queues a turn. False only when the activation is already invalid; the caller then retries on a fresh one.</summary>
    public bool TryEnqueue(WorkItem item)
    {
        lock (_lock)
        {
            switch (State)
            {
                case ActivationState.Invalid:
                    return false;
                case ActivationState.Deactivating:
                    if (item.Message is not null)
                    {
                        _held.Add(item.Message);
                    }

                    return true;
                default:
                    if (item.Message is not null)
                    {
                        _lastActivity = _services.TimeProvider.GetUtcNow();
                    }

                    _waiting.AddLast(item);
                    PumpLocked();
                    return true;
            }
        }
    }

    /// <summary>Asks for deactivation once nothing runs. Completes when the activation has left the catalog.</summary>
    public Task DeactivateAsync(DeactivationReason reason)
    {
        lock (_lock)
        {
            if (State is ActivationState.Activating or ActivationState.Valid && _deactivationRequested is null)
            {
                _deactivationRequested = reason;
                PumpLocked();
            }
        }

        return _deactivated.Task;
    }

    /// <summary>Atomically checks idleness and starts deactivation, so a message arriving during the check is not lost.</summary>
    public bool TryCollectIfIdle(DateTimeOffset now, TimeSpan age)
    {
        lock (_lock)
        {
            if (State != ActivationState.Valid || _deactivationRequested is not null || _waiting.Count > 0
                || _runningExclusive + _runningReadOnly + _runningInterleaved > 0
                || now - _lastActivity < age || now < _keepAliveUntil)
            {
                return false;
            }

            _deactivationRequested = DeactivationReason.IdleCollection;
            PumpLocked();
            return true;
        }
    }

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(this, callback, options, _services.TimeProvider, _services.Logger);
        lock (_lock)
        {
            if (State is ActivationState.Deactivating or ActivationState.Invalid)
            {
                throw new InvalidOperationException($"Activation {GrainId} is deactivating; it cannot register timers.");
            }

            _timers.Add(timer);
        }

        // Armed outside the lock: a zero due time may fire the callback synchronously.
        timer.Start();
        return timer;
    }

    public void DeactivateOnIdle() => _ = DeactivateAsync(DeactivationReason.ApplicationRequested);

    public void DelayDeactivation(TimeSpan timeSpan)
    {
        lock (_lock)
        {
            var until = _services.TimeProvider.GetUtcNow() + timeSpan;
            if (until > _keepAliveUntil)
            {
                _keepAliveUntil = until;
            }
        }
    }

    internal void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    internal void RecordActivity()
    {
        lock (_lock)
        {
            _lastActivity = _services.TimeProvider.GetUtcNow();
        }
    }

    private void PumpLocked()
    {
        if (State != ActivationState.Valid)
        {
            return;
        }

        if (_deactivationRequested is { } reason && !(reason == DeactivationReason.ShuttingDown && HasWaitingMessageLocked()))
        {
            if (_runningExclusive + _runningReadOnly + _runningInterleaved == 0)
            {
                BeginDeactivationLocked(reason);
            }

            return;
        }

        var blocked = false;
        for (var node = _waiting.First; node is not null;)
        {
            var next = node.Next;
            var item = node.Value;
            if (item.IsInterleaving || (!blocked && CanStartLocked(item)))
            {
                _waiting.Remove(node);
                StartLocked(item);
            }
            else
            {
                // FIFO: once a non-interleaving item must wait, later ones wait behind it; only interleaving items pass.
                blocked = true;
            }

            node = next;
        }
    }

    // A silo handing its grains off lets each process the messages it already received, in order, before it leaves:
    // its peers stopped sending here first, so nothing is left to forward that could overtake their held messages.
    // Other deactivations hold the waiting messages for the next activation.
    private bool HasWaitingMessageLocked()
    {
        foreach (var item in _waiting)
        {
            if (item.Message is not null)
            {
                return true;
            }
        }

        return false;
    }

    private bool CanStartLocked(WorkItem item)
        => item.IsReadOnly ? _runningExclusive == 0 : _runningExclusive == 0 && _runningReadOnly == 0;

    private void StartLocked(WorkItem item)
    {
        if (item.IsInterleaving)
        {
            _runningInterleaved++;
        }
        else if (item.IsReadOnly)
        {
            _runningReadOnly++;
        }
        else
        {
            _runningExclusive++;
        }

        var turn = Task.Factory.StartNew(() => RunItemAsync(item), CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();
        turn.ContinueWith(static (_, state) =>
        {
            var (activation, completed) = ((GrainActivation, WorkItem))state!;
            activation.OnItemCompleted(completed);
        }, (this, item), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunItemAsync(WorkItem item)
    {
        if (item.Timer is { } timer)
        {
            await timer.RunTickAsync();
            return;
        }

        var message = item.Message!;
        await MessageInvoker.InvokeAsync(_instance!, message, item.Invoker!, _services.SerializationContext, _services.MessageCenter, _services.Logger);
    }

    private void OnItemCompleted(WorkItem item)
    {
        lock (_lock)
        {
            if (item.IsInterleaving)
            {
                _runningInterleaved--;
            }
            else if (item.IsReadOnly)
            {
                _runningReadOnly--;
            }
            else
            {
                _runningExclusive--;
            }

            if (item.Message is not null)
            {
                _lastActivity = _services.TimeProvider.GetUtcNow();
            }

            PumpLocked();
        }
    }

    private async Task ActivateAsync()
    {
        try
        {
            if (_services.Cluster is { } cluster && !await RegisterAsync(cluster))
            {
                return;
            }

            var instance = _grainClass.Factory(_services.Services, []);
            _instance = instance;
            if (instance is Grain grain)
            {
                grain.Bind(this);
                using var cts = new CancellationTokenSource();
                try
                {
                    await grain.OnActivateAsync(cts.Token).WaitAsync(_services.Options.ActivationTimeout, _services.TimeProvider);
                }
                catch (TimeoutException)
                {
                    await cts.CancelAsync();
                    throw new TimeoutException($"OnActivateAsync of {GrainId} did not complete within {_services.Options.ActivationTimeout}.");
                }
            }

            lock (_lock)
            {
                State = ActivationState.Valid;
                _lastActivity = _services.TimeProvider.GetUtcNow();
                PumpLocked();
            }

            _services.Instruments.ActivationsCreated.Add(1);
            _services.Instruments.ActiveActivations.Add(1);
            _services.Logger.ActivationCreated(GrainId);
        }
#pragma warning disable CA1031 // An activation failure is delivered to every waiting caller, not thrown here.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await UnregisterAsync();
            FailActivation(ex);
        }
    }

    /// <summary>
    /// Cluster mode: registers this activation in the grain directory before the grain is created. First registration
    /// wins; an entry left by a silo that membership has declared dead is taken over. If another live activation holds
    /// the id, this one never starts: its waiting messages are forwarded to the winner and it leaves the catalog.
    /// </summary>
    private async Task<bool> RegisterAsync(IClusterRouting cluster)
    {
        var mine = new GrainAddress(GrainId, cluster.LocalSilo, Guid.NewGuid().ToString("N"));
        using var cts = new CancellationTokenSource(_services.Options.ActivationTimeout, _services.TimeProvider);
        var winner = await cluster.Directory.RegisterAsync(mine, previous: null, cts.Token);
        // Take over an entry whose activation cannot exist any more: its silo was declared dead, or it names this silo
        // (whose catalog holds only this activation for the id), left behind by an unregistration that failed.
        if (winner != mine && (winner.Silo == cluster.LocalSilo || cluster.GetStatus(winner.Silo) == Membership.SiloStatus.Dead))
        {
            winner = await cluster.Directory.RegisterAsync(mine, previous: winner, cts.Token);
        }

        if (winner == mine)
        {
            _registration = mine;
            return true;
        }

        List<WorkItem> waiting;
        lock (_lock)
        {
            State = ActivationState.Invalid;
            waiting = [.. _waiting];
            _waiting.Clear();
        }

        _catalog.Remove(this);
        _deactivated.TrySetResult();
        _services.Logger.DuplicateActivationForwarded(GrainId, winner.Silo.ToString(), waiting.Count);
        foreach (var item in waiting)
        {
            if (item.Message is { } message)
            {
                cluster.Forward(message.Forwarded(), winner.Silo);
            }
        }

        return false;
    }

    private async Task UnregisterAsync()
    {
        if (_services.Cluster is not { } cluster || _registration is null)
        {
            return;
        }

        try
        {
            using var cts = new CancellationTokenSource(_services.Options.DeactivationTimeout, _services.TimeProvider);
            await cluster.Directory.UnregisterAsync(_registration, cts.Token);
        }
#pragma warning disable CA1031 // Best effort: an entry left behind is removed when the silo is declared dead, or replaced by this silo's next activation.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _services.Logger.UnregisterFailed(ex, GrainId);
        }
    }

    private void FailActivation(Exception exception)
    {
        List<WorkItem> waiting;
        GrainTimer[] timers;
        lock (_lock)
        {
            State = ActivationState.Invalid;
            waiting = [.. _waiting];
            _waiting.Clear();
            timers = [.. _timers];
            _timers.Clear();
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }

        _services.Instruments.ActivationsFailed.Add(1);
        _services.Logger.ActivationFailed(exception, GrainId, waiting.Count);
        _catalog.Remove(this);
        var body = MessageCenter.Serialize(exception);
        foreach (var item in waiting)
        {
            if (item.Message is { } message)
            {
                if (message.Kind == MessageKind.Request)
                {
                    _services.MessageCenter.SendResponse(message, ResponseStatus.Exception, body);
                }
                else
                {
                    _services.Logger.OneWayFailed(exception, GrainId, item.Invoker!.GetMethodName(message.MethodId));
                }
            }
        }

        _deactivated.TrySetResult();
    }

    private void BeginDeactivationLocked(DeactivationReason reason)
    {
        State = ActivationState.Deactivating;
        foreach (var item in _waiting)
        {
            // Timer ticks die with the activation; messages go to the next one.
            if (item.Message is not null)
            {
                _held.Add(item.Message);
            }
        }

        _waiting.Clear();
        GrainTimer[] timers = [.. _timers];
        _timers.Clear();
        RunOnScheduler(() => DeactivateCoreAsync(reason, timers));
    }

    private async Task DeactivateCoreAsync(DeactivationReason reason, GrainTimer[] timers)
    {
        foreach (var timer in timers)
        {
            timer.Dispose();
        }

        if (_instance is Grain grain)
        {
            using var cts = new CancellationTokenSource();
            try
            {
                await grain.OnDeactivateAsync(reason, cts.Token).WaitAsync(_services.Options.DeactivationTimeout, _services.TimeProvider);
            }
#pragma warning disable CA1031 // Deactivation is best effort: a failing hook must not keep the activation alive.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                await cts.CancelAsync();
                _services.Logger.DeactivationFailed(ex, GrainId, reason);
            }
        }

        // Leave the directory before the held messages are re-delivered, so the next activation can register.
        await UnregisterAsync();

        List<Message> held;
        lock (_lock)
        {
            State = ActivationState.Invalid;
            held = [.. _held];
            _held.Clear();
        }

        _services.Instruments.ActivationsDeactivated.Add(1);
        _services.Instruments.ActiveActivations.Add(-1);
        _services.Logger.ActivationDeactivated(GrainId, reason);
        _catalog.Remove(this);
        _deactivated.TrySetResult();
        foreach (var message in held)
        {
            _catalog.Deliver(message.Forwarded());
        }
    }

    private void RunOnScheduler(Func<Task> work)
        => _ = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();
}
