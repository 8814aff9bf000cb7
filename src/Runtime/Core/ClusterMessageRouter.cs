using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.GrainDirectory;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Placement;

namespace Switchboard.Runtime.Core;

/// <summary>
/// The message transport of a cluster node (silo or gateway client): decides, per message, which node gets it.
///
/// - Responses go back to the node that sent the request (<see cref="Message.SenderId"/>).
/// - Observer calls go to the node that registered the observer (its id is the prefix of the observer key).
/// - Grain messages follow a per-grain <see cref="GrainRoute"/>: a cached silo, or, while none is known, an ordered
///   hold queue and one resolver task that asks the directory (and placement when the grain has no activation).
///
/// Invariants:
/// - Per grain, messages leave in the order they were sent: while a route is resolving or holds messages, every new
///   message joins the back of the hold queue, and the queue is flushed in order under the route's lock.
/// - A directory entry is taken over (unregistered, then the grain re-placed) only when membership says its silo is
///   Dead; a silo that merely dropped its connection is probed and, if it answers, kept. This, with atomic registration
///   in the directory, is what keeps a grain to one activation while silos die.
/// - The hold queue is bounded (<see cref="RoutingOptions.FailoverBufferCapacity"/>) and time-limited
///   (<see cref="RoutingOptions.FailoverTimeout"/>); what does not fit is rejected (requests) or dropped and counted (one-way).
/// Failure modes: messages already written to a connection when its silo died are lost with that silo (one-way calls
/// carry no acknowledgement); requests among them fail at once with <see cref="SiloUnavailableException"/>.
/// </summary>
internal sealed class ClusterMessageRouter : IMessageTransport, IClusterRouting, IDisposable
{
    private readonly ConcurrentDictionary<GrainId, GrainRoute> _routes = new();
    private readonly HashSet<SiloAddress> _knownDead = [];
    private readonly SiloIdentity _identity;
    private readonly IClusterConnections _connections;
    private readonly IClusterMembershipService _membership;
    private readonly PlacementDirector _placement;
    private readonly IServiceProvider _services;
    private readonly RoutingOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly RuntimeInstruments _instruments;
    private readonly ILogger<ClusterMessageRouter> _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ITimer _sweepTimer;
    private readonly Lock _refreshLock = new();
    private Task? _refresh;
    private long _refreshStarted;
    private TaskCompletionSource _membershipChanged = NewSignal();
    private IMessageReceiver? _receiver;
    private MessageCenter? _messageCenter;
    private volatile bool _localStopping;
    private long _lastForwardTicks;

    public ClusterMessageRouter(
        SiloIdentity identity,
        IClusterConnections connections,
        IClusterMembershipService membership,
        IGrainDirectory directory,
        PlacementDirector placement,
        IServiceProvider services,
        IOptions<RoutingOptions> options,
        TimeProvider timeProvider,
        RuntimeInstruments instruments,
        ILogger<ClusterMessageRouter> logger)
    {
        _identity = identity;
        _connections = connections;
        _membership = membership;
        Directory = directory;
        _placement = placement;
        _services = services;
        _options = options.Value;
        _timeProvider = timeProvider;
        _instruments = instruments;
        _logger = logger;
        _connections.PeerDisconnected += OnPeerDisconnected;
        _connections.MessageMisrouted += OnMisrouted;
        _membership.SnapshotChanged += OnMembershipChanged;
        _sweepTimer = timeProvider.CreateTimer(_ => SweepIdleRoutes(), null, _options.RouteIdleTimeout, _options.RouteIdleTimeout);
    }

    public SiloAddress LocalSilo => _identity.Address ?? throw new InvalidOperationException("A cluster client hosts no grains.");

    public IGrainDirectory Directory { get; }

    /// <summary>Grains with a route (cached or resolving); for tests and diagnostics.</summary>
    internal int RouteCount => _routes.Count;

    /// <summary>When this silo last forwarded a stray message (timestamp ticks); a stopping silo drains until quiet.</summary>
    internal long LastForwardTimestamp => Interlocked.Read(ref _lastForwardTicks);

    private IMessageReceiver Receiver => _receiver ??= _services.GetRequiredService<IMessageReceiver>();

    private MessageCenter MessageCenter => _messageCenter ??= _services.GetRequiredService<MessageCenter>();

    public SiloStatus GetStatus(SiloAddress silo) => _membership.CurrentSnapshot.GetStatus(silo);

    /// <summary>From now on this silo never takes grain messages for itself: they are re-placed on other silos.</summary>
    public void BeginLocalShutdown()
    {
        _localStopping = true;
        foreach (var route in _routes.Values)
        {
            lock (route)
            {
                if (route.Silo == _identity.Address)
                {
                    route.Silo = null;
                }
            }
        }
    }

    public void Send(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Kind == MessageKind.Response)
        {
            if (!SendToNode(message.SenderId, message))
            {
                // The requester is gone or unreachable; it fails the call itself (disconnect or timeout).
                _instruments.MessagesDropped.Add(1);
                _logger.ResponseUndeliverable(message.RequestId, message.SenderId);
            }

            return;
        }

        if (message.Target.IsObserver)
        {
            var node = ObserverNode(message.Target);
            if (!SendToNode(node, message))
            {
                MessageCenter.Reject(message, new SiloUnavailableException($"The node {node} that hosts observer {message.Target} is unreachable."));
            }

            return;
        }

        RouteGrainMessage(message, avoid: null);
    }

    public void Forward(Message message, SiloAddress? destination)
    {
        ArgumentNullException.ThrowIfNull(message);
        Interlocked.Exchange(ref _lastForwardTicks, _timeProvider.GetTimestamp());
        _instruments.MessagesForwarded.Add(1);
        if (destination is not null && destination != _identity.Address && TrySendToSilo(destination, message))
        {
            var route = _routes.GetOrAdd(message.Target, static id => new GrainRoute(id));
            lock (route)
            {
                if (route.Held.Count == 0 && !route.Resolving)
                {
                    route.Silo = destination;
                }
            }

            return;
        }

        RouteGrainMessage(message, avoid: _localStopping ? _identity.Address : null);
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _connections.PeerDisconnected -= OnPeerDisconnected;
        _connections.MessageMisrouted -= OnMisrouted;
        _membership.SnapshotChanged -= OnMembershipChanged;
        _sweepTimer.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }

    /// <summary>The node id part of an observer key (<c>&lt;node id&gt;/&lt;n&gt;</c>).</summary>
    internal static string ObserverNode(GrainId observer)
    {
        var slash = observer.Key.LastIndexOf('/');
        return slash <= 0 ? observer.Key : observer.Key[..slash];
    }

    private void RouteGrainMessage(Message message, SiloAddress? avoid)
    {
        var route = _routes.GetOrAdd(message.Target, static id => new GrainRoute(id));
        lock (route)
        {
            route.LastUsed = _timeProvider.GetTimestamp();
            if (route.Silo is { } silo && route.Held.Count == 0 && !route.Resolving)
            {
                if (TrySendToSilo(silo, message))
                {
                    return;
                }

                avoid = silo;
                route.Silo = null;
            }

            Hold(route, message);
            if (!route.Resolving)
            {
                route.Resolving = true;
                route.FailoverStarted = _timeProvider.GetTimestamp();
                route.PreviousSilo = avoid;
                _ = Task.Run(() => ResolveAsync(route, avoid));
            }
        }
    }

    private void Hold(GrainRoute route, Message message)
    {
        if (route.Held.Count >= _options.FailoverBufferCapacity)
        {
            GiveUp(message, $"the failover buffer of {route.GrainId} is full ({_options.FailoverBufferCapacity} messages)");
            return;
        }

        route.Held.Enqueue(message);
    }

    private bool TrySendToSilo(SiloAddress silo, Message message)
    {
        if (silo == _identity.Address)
        {
            if (_localStopping)
            {
                return false;
            }

            message.Destination = null;
            Receiver.Receive(message);
            return true;
        }

        message.Destination = silo.ToString();
        return _connections.TrySend(message.Destination, message);
    }

    private bool SendToNode(string nodeId, Message message)
    {
        if (string.Equals(nodeId, _identity.Id, StringComparison.Ordinal))
        {
            message.Destination = null;
            Receiver.Receive(message);
            return true;
        }

        message.Destination = nodeId;
        return _connections.TrySend(nodeId, message);
    }

    private async Task ResolveAsync(GrainRoute route, SiloAddress? avoid)
    {
        var deadline = _timeProvider.GetTimestamp() + (long)(_options.FailoverTimeout.TotalSeconds * _timeProvider.TimestampFrequency);
        var token = _disposed.Token;
        try
        {
            while (!token.IsCancellationRequested && _timeProvider.GetTimestamp() < deadline)
            {
                var signal = Volatile.Read(ref _membershipChanged).Task;
                SiloAddress? target = null;
                try
                {
                    target = await ChooseSiloAsync(route.GrainId, avoid, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A store or network failure while resolving is retried until the failover deadline.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    _logger.ResolveFailed(ex, route.GrainId);
                }

                if (target is not null && TryFlush(route, target, ref avoid))
                {
                    return;
                }

                await Task.WhenAny(signal, Task.Delay(_options.RetryDelay, _timeProvider, token)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }

        lock (route)
        {
            var count = route.Held.Count;
            while (route.Held.TryDequeue(out var message))
            {
                GiveUp(message, $"{route.GrainId} could not be placed within {_options.FailoverTimeout}");
            }

            route.Resolving = false;
            _logger.FailoverAbandoned(route.GrainId, count, _options.FailoverTimeout);
        }
    }

    /// <summary>Sends the held messages in order to <paramref name="target"/>; true once the queue is empty and the route
    /// points at the target. On a send failure the remaining messages stay held, in order, for the next attempt.</summary>
    private bool TryFlush(GrainRoute route, SiloAddress target, ref SiloAddress? avoid)
    {
        lock (route)
        {
            var count = route.Held.Count;
            while (route.Held.TryPeek(out var message))
            {
                if (!TrySendToSilo(target, message))
                {
                    avoid = target;
                    return false;
                }

                route.Held.Dequeue();
            }

            route.Silo = target;
            route.Resolving = false;
            if (route.PreviousSilo is { } previous && previous != target)
            {
                var elapsed = _timeProvider.GetElapsedTime(route.FailoverStarted);
                _instruments.GrainsRelocated.Add(1);
                _logger.GrainRelocated(route.GrainId, previous.ToString(), target.ToString(), elapsed.TotalMilliseconds, count);
            }

            route.PreviousSilo = null;
            return true;
        }
    }

    /// <summary>Where the grain's messages should go now, or null to wait and retry.</summary>
    private async Task<SiloAddress?> ChooseSiloAsync(GrainId grainId, SiloAddress? avoid, CancellationToken cancellationToken)
    {
        var entry = await Directory.LookupAsync(grainId, cancellationToken).ConfigureAwait(false);
        if (entry is not null)
        {
            var status = GetStatus(entry.Silo);
            if (status == SiloStatus.Dead)
            {
                // Membership has declared the silo dead, so its activation is gone for good: take the entry over.
                await Directory.UnregisterAsync(entry, cancellationToken).ConfigureAwait(false);
                _logger.StaleEntryRemoved(grainId, entry.Silo.ToString());
            }
            else if (entry.Silo == _identity.Address)
            {
                // Registered here: deliver locally unless this silo is handing its grains off (the entry goes away
                // when the activation finishes deactivating; wait for that).
                return _localStopping ? null : entry.Silo;
            }
            else if (status is SiloStatus.ShuttingDown or SiloStatus.Stopping)
            {
                // Leaving: it still hosts the activation until the hand-off, and forwards whatever arrives after it.
                return entry.Silo;
            }
            else if (entry.Silo == avoid)
            {
                if (_membership is IMembershipRefresher refresher)
                {
                    // The death declaration is what unblocks this grain; see it as soon as it is written.
                    await SharedRefreshAsync(refresher, cancellationToken).ConfigureAwait(false);
                    if (GetStatus(entry.Silo) == SiloStatus.Dead)
                    {
                        await Directory.UnregisterAsync(entry, cancellationToken).ConfigureAwait(false);
                        _logger.StaleEntryRemoved(grainId, entry.Silo.ToString());
                        return _placement.Pick(exclude: _localStopping ? _identity.Address : avoid);
                    }
                }

                // Lost connection: alive if it still answers a probe; otherwise wait, because a silo that really died
                // is declared Dead within seconds and only then may its grains move.
                return await _connections.ProbeAsync(entry.Silo, _options.ProbeTimeout, cancellationToken).ConfigureAwait(false) ? entry.Silo : null;
            }
            else
            {
                return entry.Silo;
            }
        }

        // No activation anywhere: place one. The chosen silo registers it (first registration wins) before serving.
        return _placement.Pick(exclude: _localStopping ? _identity.Address : avoid);
    }

    /// <summary>One table read shared by every grain waiting on a lost silo, at most one per <see cref="RoutingOptions.RetryDelay"/>,
    /// so a failover of many calls costs a handful of reads, not one per call per retry.</summary>
    private Task SharedRefreshAsync(IMembershipRefresher refresher, CancellationToken cancellationToken)
    {
        lock (_refreshLock)
        {
            var now = _timeProvider.GetTimestamp();
            if (_refresh is null || (_refresh.IsCompleted && _timeProvider.GetElapsedTime(_refreshStarted, now) >= _options.RetryDelay))
            {
                _refreshStarted = now;
                _refresh = refresher.RefreshNowAsync(cancellationToken);
            }

            return _refresh;
        }
    }

    private void GiveUp(Message message, string reason)
    {
        if (message.Kind == MessageKind.Request)
        {
            MessageCenter.Reject(message, new SiloUnavailableException($"Message to {message.Target} not delivered: {reason}."));
        }
        else
        {
            _instruments.MessagesDropped.Add(1);
            _logger.MessageDropped(message.Target, reason);
        }
    }

    private void OnPeerDisconnected(string nodeId)
    {
        MessageCenter.FailPendingTo(nodeId);
        if (!SiloAddress.TryParse(nodeId, out var silo))
        {
            return;
        }

        // Stop writing into a connection that is gone: the grains routed there hold their messages from now on and
        // resolve again (probe, or wait for the death declaration).
        foreach (var route in _routes.Values)
        {
            lock (route)
            {
                if (route.Silo == silo)
                {
                    route.Silo = null;
                    if (!route.Resolving)
                    {
                        route.Resolving = true;
                        route.FailoverStarted = _timeProvider.GetTimestamp();
                        route.PreviousSilo = silo;
                        _ = Task.Run(() => ResolveAsync(route, silo));
                    }
                }
            }
        }
    }

    private void OnMisrouted(Message message)
        => GiveUp(message, $"it was addressed to {message.Destination}, not to this node {_identity.Id}");

    private void OnMembershipChanged(ClusterMembershipSnapshot snapshot)
    {
        foreach (var entry in snapshot.Table.Entries)
        {
            if (entry.Status == SiloStatus.Dead && entry.Silo != _identity.Address)
            {
                bool added;
                lock (_knownDead)
                {
                    added = _knownDead.Add(entry.Silo);
                }

                if (added)
                {
                    _connections.MarkDead(entry.Silo);
                    MessageCenter.FailPendingTo(entry.Silo.ToString());
                    OnPeerDisconnected(entry.Silo.ToString());
                }
            }
        }

        Interlocked.Exchange(ref _membershipChanged, NewSignal()).TrySetResult();
    }

    /// <summary>Forgets cached routes nobody used for <see cref="RoutingOptions.RouteIdleTimeout"/>, so finished calls
    /// do not accumulate. A message racing with the removal still goes to the cached silo; the next one resolves anew.</summary>
    private void SweepIdleRoutes()
    {
        var cutoff = _timeProvider.GetTimestamp() - (long)(_options.RouteIdleTimeout.TotalSeconds * _timeProvider.TimestampFrequency);
        foreach (var (grainId, route) in _routes)
        {
            lock (route)
            {
                if (!route.Resolving && route.Held.Count == 0 && route.LastUsed < cutoff)
                {
                    _routes.TryRemove(KeyValuePair.Create(grainId, route));
                }
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Routing state of one grain. Guarded by locking the instance.</summary>
    private sealed class GrainRoute(GrainId grainId)
    {
        public GrainId GrainId { get; } = grainId;

        public SiloAddress? Silo { get; set; }

        public Queue<Message> Held { get; } = new();

        public bool Resolving { get; set; }

        public SiloAddress? PreviousSilo { get; set; }

        public long FailoverStarted { get; set; }

        public long LastUsed { get; set; }
    }
}
