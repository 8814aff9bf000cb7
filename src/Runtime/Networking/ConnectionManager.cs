using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Core;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Messaging;

namespace Switchboard.Runtime.Networking;

/// <summary>
/// Owns this node's TCP connections with other cluster nodes: the listener (silos only), outgoing dials, the handshake
/// rules, liveness probes and the per-node send path.
/// <para>Routing: each node id maps to at most one connection used for sending (the first established: ours if we
/// dialled, else the one the peer opened). Clients never listen, so a silo reaches a client only over the connection
/// that client opened. If two silos dial each other at once, both connections live and each side sends on its own
/// outgoing one; each carries one direction's messages in order.</para>
/// <para>Handshake rules (accepting side): refuse another protocol version, another cluster id, and any node declared
/// dead (<see cref="MarkDead"/>). Dialling side: refuse an accepted node id that is not the dialled one (a restarted
/// silo on the same endpoint has a new generation; what was queued was meant for the dead one).</para>
/// <para>Failure modes: sends never throw and never block. They return false when the node cannot be reached (a client
/// without a connection, a node declared dead, a node whose last connect failed less than
/// <c>Networking:ReconnectBackoff</c> ago, a message too large for a frame) or when its queue is full (backpressure).
/// Every lost connection, including a failed connect or handshake, raises <see cref="PeerDisconnected"/> once, at once,
/// so pending calls can fail instead of waiting for their timeout; its queued messages are dropped and counted. A
/// connection the peer opened and whose handshake failed has no node id yet and raises nothing; nor does one whose
/// dialler refused our accept (it meant another generation of this endpoint) unless it was our route to that node. Nothing is raised while
/// the manager is being disposed.</para>
/// </summary>
internal sealed class ConnectionManager : IClusterConnections, IClusterConnectivity, IAsyncDisposable
{
    private const string ClientIdPrefix = "client/";
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(50);

    private readonly SiloIdentity _identity;
    private readonly NetworkingOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILogger<ConnectionManager> _logger;
    private readonly ConcurrentDictionary<string, Connection> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Connection, byte> _connections = new();
    private readonly ConcurrentDictionary<string, byte> _dead = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _connectFailedAt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _leaving = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();
    private IMessageReceiver? _receiver;
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    // Totals of closed connections, and counters of paths that are not per message.
    private long _closedFramesSent;
    private long _closedMessagesSent;
    private long _closedFlushes;
    private long _closedFramesReceived;
    private long _closedMessagesReceived;
    private long _dropped;
    private long _sendQueueFull;
    private long _messagesTooLarge;
    private long _connectFailures;
    private long _handshakesRefused;
    private long _misrouted;

    public ConnectionManager(
        SiloIdentity identity,
        IOptions<ClusterOptions> clusterOptions,
        IOptions<NetworkingOptions> networkingOptions,
        IServiceProvider services,
        TimeProvider timeProvider,
        ILogger<ConnectionManager> logger)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(clusterOptions);
        ArgumentNullException.ThrowIfNull(networkingOptions);
        _identity = identity;
        ClusterId = clusterOptions.Value.ClusterId;
        _options = networkingOptions.Value;
        _services = services;
        TimeProvider = timeProvider;
        _logger = logger;
        if (services.GetService<IMeterFactory>() is { } meterFactory)
        {
            _ = new NetworkingInstruments(meterFactory, this);
        }
    }

    /// <summary>Raised once per lost connection (socket error, end of stream, protocol error, failed connect or
    /// handshake, <see cref="MarkDead"/>) with the peer's node id. Runs on a transport thread: handlers must not block.</summary>
    public event Action<string>? PeerDisconnected;

    /// <summary>Receives messages whose <see cref="Message.Destination"/> names another node (the sender's view was
    /// stale), instead of the local receiver. Without a handler they are logged and dropped.</summary>
    public event Action<Message>? MessageMisrouted;

    /// <summary>Raised once when a peer announces (GoAway) that it is leaving; sends to it fail from then on.</summary>
    public event Action<string>? PeerLeaving;

    /// <summary>This node's id.</summary>
    public string LocalId => _identity.Id;

    /// <summary>Node ids with an established connection (either direction).</summary>
    public IReadOnlyCollection<string> ConnectedNodes
        => _connections.Keys
            .Where(c => c.IsEstablished && !c.IsClosed && c.RemoteNodeId is not null)
            .Select(c => c.RemoteNodeId!)
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    internal string ClusterId { get; }

    internal bool IsClient => _identity.IsClient;

    internal NetworkingOptions Options => _options;

    internal TimeProvider TimeProvider { get; }

    internal ILogger Logger => _logger;

    private bool IsDisposing => Volatile.Read(ref _disposed) != 0;

    // Resolved on first use: the receiver depends (through the catalog) on things that depend on the transport.
    private IMessageReceiver Receiver => _receiver ??= _services.GetRequiredService<IMessageReceiver>();

    /// <summary>Binds and starts accepting (silos only). Returns the bound endpoint, so port 0 picks a free port.</summary>
    public Task<IPEndPoint> StartListeningAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ObjectDisposedException.ThrowIf(IsDisposing, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_identity.IsClient)
        {
            throw new InvalidOperationException($"{_identity.Id} is a cluster client: clients dial silos and never accept connections.");
        }

        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endpoint);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        if (Interlocked.CompareExchange(ref _listener, listener, null) is not null)
        {
            listener.Dispose();
            throw new InvalidOperationException($"{_identity.Id} is already listening.");
        }

        var bound = (IPEndPoint)listener.LocalEndPoint!;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener));
        _logger.Listening(_identity.Id, bound.ToString());
        return Task.FromResult(bound);
    }

    /// <summary>
    /// Queues <paramref name="message"/> for <paramref name="nodeId"/> on its connection, dialling the node first if it is
    /// a silo without one (the message waits in the new connection's queue; order is kept). False when the node
    /// cannot be reached or its queue is full. Never throws, never blocks.
    /// </summary>
    public bool TrySend(string nodeId, Message message)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        ArgumentNullException.ThrowIfNull(message);
        if (!MessageFrameCodec.CanEncode(message, _options.MaxFrameBytes))
        {
            Interlocked.Increment(ref _messagesTooLarge);
            _logger.MessageNotEncodable(nodeId, _options.MaxFrameBytes, message.ToString());
            return false;
        }

        if (_leaving.ContainsKey(nodeId))
        {
            return false;
        }

        bool queued = false;
        var connection = _routes.TryGetValue(nodeId, out var existing) ? existing : GetOrDial(nodeId, message, out queued);
        if (connection is null)
        {
            return false;
        }

        if (queued || connection.TrySend(message))
        {
            return true;
        }

        if (!connection.IsClosed)
        {
            Interlocked.Increment(ref _sendQueueFull);
        }

        return false;
    }

    /// <summary>Pings <paramref name="silo"/> over its connection (dialling if needed). True when the pong arrives within
    /// <paramref name="timeout"/>; false at once when the node is unreachable or the connection breaks. Never throws for
    /// network failures (cancellation still throws).</summary>
    public async Task<bool> ProbeAsync(SiloAddress silo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var nodeId = silo.ToString();
        if (_leaving.ContainsKey(nodeId))
        {
            return false;
        }

        var connection = _routes.TryGetValue(nodeId, out var existing) ? existing : GetOrDial(nodeId, first: null, out _);
        return connection is not null && await connection.PingAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Death by fiat: closes every connection with <paramref name="silo"/>, refuses its handshakes from now on,
    /// and makes sends to it return false.</summary>
    public void MarkDead(SiloAddress silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var nodeId = silo.ToString();
        _dead.TryAdd(nodeId, 0);
        _connectFailedAt.TryRemove(nodeId, out _);
        var closed = 0;
        foreach (var connection in _connections.Keys)
        {
            if (string.Equals(connection.RemoteNodeId, nodeId, StringComparison.Ordinal))
            {
                connection.Abort($"node {nodeId} was declared dead");
                closed++;
            }
        }

        _logger.MarkedDead(nodeId, closed);
    }

    /// <summary>Totals since start.</summary>
    public NetworkingCounters GetCounters()
    {
        long framesSent = Volatile.Read(ref _closedFramesSent), messagesSent = Volatile.Read(ref _closedMessagesSent);
        long flushes = Volatile.Read(ref _closedFlushes), framesReceived = Volatile.Read(ref _closedFramesReceived);
        long messagesReceived = Volatile.Read(ref _closedMessagesReceived), dropped = Volatile.Read(ref _dropped);
        foreach (var connection in _connections.Keys)
        {
            framesSent += connection.FramesSent;
            messagesSent += connection.MessagesSent;
            flushes += connection.Flushes;
            framesReceived += connection.FramesReceived;
            messagesReceived += connection.MessagesReceived;
        }

        return new NetworkingCounters(
            framesSent,
            messagesSent,
            flushes,
            framesReceived,
            messagesReceived,
            dropped,
            Volatile.Read(ref _sendQueueFull),
            Volatile.Read(ref _messagesTooLarge),
            Volatile.Read(ref _connectFailures),
            Volatile.Read(ref _handshakesRefused),
            Volatile.Read(ref _misrouted));
    }

    /// <summary>Stops listening, lets established connections send what they have queued and close (bounded by
    /// <c>Networking:ConnectTimeout</c>), then aborts whatever is left. Raises no <see cref="PeerDisconnected"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);

        var connections = _connections.Keys.ToArray();
        foreach (var connection in connections)
        {
            connection.BeginGracefulClose();
        }

        var closed = Task.WhenAll(connections.Select(c => c.Completion));
        if (await Task.WhenAny(closed, Task.Delay(_options.ConnectTimeout, TimeProvider)).ConfigureAwait(false) != closed)
        {
            foreach (var connection in connections)
            {
                connection.Abort("the peer did not close within the shutdown bound");
            }

            await closed.ConfigureAwait(false);
        }

        _shutdown.Dispose();
        _logger.Stopped(_identity.Id, connections.Length);
    }

    /// <summary>Reason to refuse <paramref name="hello"/>, or null to go on (dead and shutting-down checks happen at
    /// registration, atomically with it).</summary>
    internal string? CheckHello(HelloFrame hello)
    {
        if (hello.ProtocolVersion != MessageFrameCodec.ProtocolVersion)
        {
            return $"protocol version {hello.ProtocolVersion} is not supported (this node speaks {MessageFrameCodec.ProtocolVersion})";
        }

        if (!string.Equals(hello.ClusterId, ClusterId, StringComparison.Ordinal))
        {
            return $"cluster id '{hello.ClusterId}' differs from this node's '{ClusterId}'";
        }

        if (string.IsNullOrEmpty(hello.NodeId) || string.Equals(hello.NodeId, LocalId, StringComparison.Ordinal))
        {
            return $"node id '{hello.NodeId}' is empty or this node's own";
        }

        return null;
    }

    /// <summary>Makes an established connection usable for sends to <paramref name="nodeId"/>, or returns why not.</summary>
    internal string? TryRegister(Connection connection, string nodeId)
    {
        if (IsDisposing)
        {
            return "this node is shutting down";
        }

        if (_dead.ContainsKey(nodeId))
        {
            return $"node {nodeId} was declared dead";
        }

        if (connection.Direction == ConnectionDirection.Inbound)
        {
            // Keep a live connection we dialled ourselves (its queue may hold messages in flight); otherwise the newest
            // inbound one wins: an older inbound one from the same node is most likely half-dead.
            _routes.AddOrUpdate(
                nodeId,
                connection,
                (_, existing) => existing.Direction == ConnectionDirection.Outbound && !existing.IsClosed ? existing : connection);
        }

        _connectFailedAt.TryRemove(nodeId, out _);

        // Re-checked after publishing: MarkDead may have run between the first check and the registration.
        return _dead.ContainsKey(nodeId) ? $"node {nodeId} was declared dead" : null;
    }

    internal void OnHandshakeRefused(string peerNodeId, string? remoteEndPoint, string reason)
    {
        Interlocked.Increment(ref _handshakesRefused);
        _logger.HandshakeRefused(peerNodeId, remoteEndPoint, reason);
    }

    internal void OnHandshakeRefusedByPeer(string peerNodeId, string? remoteEndPoint, string reason)
        => _logger.HandshakeRefusedByPeer(peerNodeId, remoteEndPoint, reason);

    /// <summary>Hands a received message to the local receiver, or to the misrouted handler when it was meant for
    /// another node. Called by reader loops, synchronously and in arrival order.</summary>
    /// <inheritdoc />
    public bool IsConnected(string nodeId) => _routes.TryGetValue(nodeId, out var connection) && !connection.IsClosed && connection.IsEstablished;

    /// <summary>Graceful shutdown: asks every connected node to stop sending here, then waits until each has answered on
    /// every connection (its answer follows everything it sent before, so once all are in, no message to this node is
    /// still on the wire) or <paramref name="timeout"/> passes. Returns how many connections did not answer in time.
    /// Replies to requests peers already sent still go out; the connections close when this manager is disposed.</summary>
    public async Task<int> AnnounceLeavingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var answers = _connections.Keys.Where(c => !c.IsClosed).Select(c => c.SendGoAwayAsync()).ToList();
        try
        {
            await Task.WhenAll(answers).WaitAsync(timeout, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        var missing = answers.Count(a => !a.IsCompleted);
        _logger.LeavingAnnounced(answers.Count, missing);
        return missing;
    }

    /// <summary>The peer announced it is leaving: route nothing more to it.</summary>
    internal void OnPeerLeaving(string nodeId)
    {
        if (_leaving.TryAdd(nodeId, true))
        {
            _logger.PeerLeaving(nodeId);
            var handler = PeerLeaving;
            if (handler is not null)
            {
                Invoke(handler, nodeId, nameof(PeerLeaving), nodeId);
            }
        }
    }

    internal void Deliver(Message message)
    {
        if (message.Destination is { } destination && !string.Equals(destination, _identity.Id, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _misrouted);
            var handler = MessageMisrouted;
            if (handler is null)
            {
                _logger.MisroutedMessageDropped(destination, _identity.Id, message.ToString());
                return;
            }

            Invoke(handler, message, nameof(MessageMisrouted), destination);
            return;
        }

        try
        {
            Receiver.Receive(message);
        }
        catch (Exception ex)
        {
            // Receivers only enqueue; one that throws has a bug about this message, not about the connection, which
            // carries unrelated calls too. Keep reading.
            _logger.ReceiverFailed(ex, message.ToString());
        }
    }

    internal void OnConnectionClosed(Connection connection, string reason, Exception? error)
    {
        _connections.TryRemove(connection, out _);
        var nodeId = connection.RemoteNodeId;
        var wasRoute = nodeId is not null && _routes.TryRemove(KeyValuePair.Create(nodeId, connection));

        Interlocked.Add(ref _closedFramesSent, connection.FramesSent);
        Interlocked.Add(ref _closedMessagesSent, connection.MessagesSent);
        Interlocked.Add(ref _closedFlushes, connection.Flushes);
        Interlocked.Add(ref _closedFramesReceived, connection.FramesReceived);
        Interlocked.Add(ref _closedMessagesReceived, connection.MessagesReceived);
        Interlocked.Add(ref _dropped, connection.Dropped);

        if (nodeId is null)
        {
            _logger.InboundHandshakeFailed(error, connection.RemoteEndPoint, reason);
            return;
        }

        if (connection.Direction == ConnectionDirection.Outbound && !connection.IsEstablished)
        {
            _connectFailedAt[nodeId] = TimeProvider.GetTimestamp();
            Interlocked.Increment(ref _connectFailures);
            _logger.ConnectFailed(error, nodeId, reason, connection.Dropped);
        }
        else
        {
            _logger.ConnectionClosed(error, connection.Direction, nodeId, reason, connection.Dropped);
        }

        // An inbound connection the dialler refused (it meant another generation of this endpoint) says nothing about
        // the peer: report it only if we were sending to the peer over it.
        var report = connection.Direction == ConnectionDirection.Outbound
            || (connection.WasRegistered && (wasRoute || !connection.RefusedByPeer));
        if (report && !IsDisposing && PeerDisconnected is { } handler)
        {
            Invoke(handler, nodeId, nameof(PeerDisconnected), nodeId);
        }
    }

    // Dials nodeId unless it is unreachable. The caller's first message is queued before the connect starts: a connect
    // refused at once (a dead port on the same host) would otherwise close the connection before the message is queued,
    // and whether that message counts as accepted-then-dropped or refused would depend on thread timing.
    private Connection? GetOrDial(string nodeId, Message? first, out bool firstQueued)
    {
        firstQueued = false;
        if (IsDisposing
            || _dead.ContainsKey(nodeId)
            || string.Equals(nodeId, _identity.Id, StringComparison.Ordinal)
            || nodeId.StartsWith(ClientIdPrefix, StringComparison.Ordinal)
            || !SiloAddress.TryParse(nodeId, out var address)
            || address.Port is < IPEndPoint.MinPort + 1 or > IPEndPoint.MaxPort
            || IsBackingOff(nodeId))
        {
            return null;
        }

        var connection = new Connection(this, ConnectionDirection.Outbound, nodeId, _options.SendQueueCapacity);
        if (!_routes.TryAdd(nodeId, connection))
        {
            // Another sender dialled first; use its connection (the unstarted one is simply dropped).
            return _routes.TryGetValue(nodeId, out var winner) ? winner : null;
        }

        _connections.TryAdd(connection, 0);
        firstQueued = first is not null && connection.TrySend(first);
        connection.StartOutbound(address);
        if (IsDisposing || _dead.ContainsKey(nodeId))
        {
            // Raced with DisposeAsync or MarkDead, which may have missed this connection.
            connection.Abort(IsDisposing ? "this node is shutting down" : $"node {nodeId} was declared dead");
        }

        return connection;
    }

    private bool IsBackingOff(string nodeId)
    {
        if (!_connectFailedAt.TryGetValue(nodeId, out var failedAt))
        {
            return false;
        }

        if (TimeProvider.GetElapsedTime(failedAt) < _options.ReconnectBackoff)
        {
            return true;
        }

        _connectFailedAt.TryRemove(KeyValuePair.Create(nodeId, failedAt));
        return false;
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        // Runs until DisposeAsync closes the listener.
        while (!IsDisposing)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_shutdown.Token).ConfigureAwait(false);
            }
            catch (Exception) when (IsDisposing)
            {
                return;
            }
            catch (SocketException ex)
            {
                // E.g. a peer that reset before we accepted, or out of descriptors: pause briefly so the latter cannot spin.
                _logger.AcceptFailed(ex);
                try
                {
                    await Task.Delay(AcceptRetryDelay, TimeProvider, _shutdown.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            var connection = new Connection(this, ConnectionDirection.Inbound, remoteNodeId: null, _options.SendQueueCapacity);
            _connections.TryAdd(connection, 0);
            connection.StartInbound(socket);
            if (IsDisposing)
            {
                connection.Abort("this node is shutting down");
            }
        }
    }

    private void Invoke<T>(Action<T> handler, T argument, string eventName, string? peerNodeId)
    {
        try
        {
            handler(argument);
        }
        catch (Exception ex)
        {
            // A subscriber's bug must not take down the transport loop that raised the event.
            _logger.EventHandlerFailed(ex, eventName, peerNodeId);
        }
    }
}
