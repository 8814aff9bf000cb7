using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Messaging;

namespace Switchboard.Runtime.Networking;

/// <summary>
/// One TCP connection with one peer node, framed by <see cref="MessageFrameCodec"/> over System.IO.Pipelines.
/// <para>Phases: connect (outbound only), handshake (bounded by <c>Networking:ConnectTimeout</c>), established (a writer
/// loop and a reader loop), closed. Messages sent before the handshake completes wait in the send queue and go out, in
/// order, once it does.</para>
/// <para>Invariants: the send queue has exactly one reader (the writer loop while it runs, then the closing code
/// after it has stopped), so messages leave in the order they were queued. The writer loop writes everything
/// available, then flushes once (also every 64 KiB), which batches the many small messages of the media path into few
/// socket writes. The reader loop hands messages to the receiver synchronously and in arrival order. Pings and pongs
/// travel in a side queue so backpressure on messages never delays liveness answers; a shared sentinel message wakes
/// the writer for them.</para>
/// <para>Failure modes: any socket error, end of stream, protocol error or handshake refusal closes the connection
/// once (<see cref="Abort"/> is idempotent and disposes the socket, which unblocks both loops). After both loops have
/// stopped, queued messages are counted as dropped, pending pings fail, and the manager is told exactly once, which
/// raises <see cref="ConnectionManager.PeerDisconnected"/> at once rather than when some timeout expires.</para>
/// </summary>
internal sealed class Connection
{
    private const int FlushThresholdBytes = 64 * 1024;
    private const int HandshakeMaxFrameBytes = 16 * 1024;
    private const int MaxPendingControlFrames = 1024;

    // Measured on loopback with 160-byte messages: 64 KiB reads and writes cost noticeably less CPU per message than
    // 16 KiB. Pipes return idle buffers to the pool, so a quiet connection does not hold them.
    private const int PipeBufferBytes = 64 * 1024;

    // Wakes the writer loop for control frames; never written to the socket. Counts against the queue capacity,
    // which is harmless: when the queue is full the writer is busy and checks the control queue anyway.
    private static readonly Message WakeUp = new()
    {
        Kind = MessageKind.OneWay,
        RequestId = 0,
        Target = new GrainId("sys.wakeup", string.Empty),
        InterfaceId = 0,
        MethodId = 0,
        Body = ReadOnlyMemory<byte>.Empty,
        SenderId = string.Empty,
    };

    // Queued like a message (not a control frame) when the peer says it is leaving: the writer turns it into a GoAwayAck
    // frame, so the ack leaves after every message queued before it. Never counted as sent or dropped.
    private static readonly Message GoAwayAckMarker = new()
    {
        Kind = MessageKind.OneWay,
        RequestId = 0,
        Target = new GrainId("sys.goaway-ack", string.Empty),
        InterfaceId = 0,
        MethodId = 0,
        Body = ReadOnlyMemory<byte>.Empty,
        SenderId = string.Empty,
    };

    private readonly ConnectionManager _owner;
    private readonly Channel<Message> _outbound;
    private readonly ConcurrentQueue<ControlFrame> _control = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource<bool>> _pings = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _goAwayAcknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Utf8StringCache _strings = new(64);

    // Sized for hundreds of concurrent calls per connection, each repeating its key ~50 times a second.
    private readonly Utf8StringCache _keys = new(512);
    private Socket? _socket;
    private NetworkStream? _stream;
    private PipeReader? _input;
    private PipeWriter? _output;
    private CloseCause? _cause;
    private int _aborted;
    private volatile bool _established;
    private volatile bool _registered;
    private long _nextPingId;
    private int _pendingControl;

    // Each written by one loop only (no interlocked traffic on the hot path); read by anyone.
    private long _framesSent;
    private long _messagesSent;
    private long _flushes;
    private long _framesReceived;
    private long _messagesReceived;
    private long _dropped;

    public Connection(ConnectionManager owner, ConnectionDirection direction, string? remoteNodeId, int sendQueueCapacity)
    {
        _owner = owner;
        Direction = direction;
        RemoteNodeId = remoteNodeId;
        _outbound = Channel.CreateBounded<Message>(new BoundedChannelOptions(sendQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
    }

    public ConnectionDirection Direction { get; }

    /// <summary>Outbound: the dialled node id. Inbound: the peer's node id once its hello was accepted, else null.</summary>
    public string? RemoteNodeId { get; private set; }

    /// <summary>True once the handshake completed and the loops run.</summary>
    public bool IsEstablished => _established;

    /// <summary>Inbound: true once registered under the peer's node id.</summary>
    public bool WasRegistered => _registered;

    /// <summary>Inbound: the dialler refused our accept (it dialled another generation of this endpoint).</summary>
    public bool RefusedByPeer { get; private set; }

    public bool IsClosed => Volatile.Read(ref _aborted) != 0;

    /// <summary>Completes after the connection has closed and the manager has been told.</summary>
    public Task Completion => _completion.Task;

    public string? RemoteEndPoint { get; private set; }

    public long FramesSent => Volatile.Read(ref _framesSent);

    public long MessagesSent => Volatile.Read(ref _messagesSent);

    public long Flushes => Volatile.Read(ref _flushes);

    public long FramesReceived => Volatile.Read(ref _framesReceived);

    public long MessagesReceived => Volatile.Read(ref _messagesReceived);

    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Queues <paramref name="message"/>; false when the queue is full or the connection closed.</summary>
    public bool TrySend(Message message) => _outbound.Writer.TryWrite(message);

    public void StartOutbound(SiloAddress target) => _ = Task.Run(() => RunAsync(target, accepted: null));

    public void StartInbound(Socket socket) => _ = Task.Run(() => RunAsync(target: null, socket));

    /// <summary>Tells the peer to stop sending here (this node is leaving); queued behind nothing, like a pong. The task
    /// completes when the peer's <see cref="FrameType.GoAwayAck"/> arrives, i.e. when every message it sent on this
    /// connection before hearing it has been received, or when the connection closes (nothing more can arrive).</summary>
    public Task SendGoAwayAsync()
    {
        EnqueueControl(new ControlFrame(FrameType.GoAway, 0));
        if (IsClosed)
        {
            _goAwayAcknowledged.TrySetResult();
        }

        return _goAwayAcknowledged.Task;
    }

    /// <summary>Sends a ping and waits for its pong. False on timeout or when the connection closes first.</summary>
    public async Task<bool> PingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextPingId);
        var answered = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[id] = answered;
        try
        {
            // Checked after registering: Abort sets the flag before failing pings, so either we see it here or it sees us.
            if (IsClosed)
            {
                return false;
            }

            EnqueueControl(new ControlFrame(FrameType.Ping, id));
            return await answered.Task.WaitAsync(timeout, _owner.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _pings.TryRemove(id, out _);
        }
    }

    /// <summary>Stops accepting messages, lets the writer send what is queued, then half-closes; the connection ends when
    /// the peer closes its side (or <see cref="Abort"/> is called). A connection still handshaking is aborted.</summary>
    public void BeginGracefulClose()
    {
        SetCause("closed by this node", null);
        if (!_established)
        {
            Abort("closed by this node before the handshake completed");
            return;
        }

        _outbound.Writer.TryComplete();
    }

    /// <summary>Closes the connection now (idempotent). Unsent messages are dropped and counted.</summary>
    public void Abort(string? reason = null)
    {
        if (reason is not null)
        {
            SetCause(reason, null);
        }

        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        _outbound.Writer.TryComplete();
        _closing.Cancel();

        // Disposing the socket completes pending reads and writes with errors, which ends both loops promptly.
        Volatile.Read(ref _socket)?.Dispose();
        FailPendingPings();
    }

    private async Task RunAsync(SiloAddress? target, Socket? accepted)
    {
        Task? writer = null;
        Task? reader = null;
        try
        {
            var handshaken = target is not null
                ? await ConnectAsync(target).ConfigureAwait(false)
                : await AcceptAsync(accepted!).ConfigureAwait(false);
            if (handshaken && !IsClosed)
            {
                _established = true;
                _owner.Logger.ConnectionEstablished(Direction, RemoteNodeId!, RemoteEndPoint);
                writer = WriterLoopAsync();
                reader = ReaderLoopAsync();
                await Task.WhenAll(writer, reader).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            SetCause(Describe(ex), ex);
        }
        finally
        {
            Abort();
            await CloseAsync().ConfigureAwait(false);
        }
    }

    private async Task CloseAsync()
    {
        // Both loops have stopped: from here on this is the queue's only reader.
        while (_outbound.Reader.TryRead(out var message))
        {
            if (!ReferenceEquals(message, WakeUp) && !ReferenceEquals(message, GoAwayAckMarker))
            {
                _dropped++;
            }
        }

        FailPendingPings();
        try
        {
            if (_input is not null)
            {
                await _input.CompleteAsync().ConfigureAwait(false);
            }

            if (_output is not null)
            {
                await _output.CompleteAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
            // Completing a writer over a dead socket may try to flush; the connection is gone either way.
        }

        // _closing is deliberately not disposed: a concurrent Abort from another thread may still be cancelling it,
        // and a token source without a timer holds nothing that needs releasing.
        _stream?.Dispose();
        _socket?.Dispose();
        var cause = _cause ?? new CloseCause("closed", null);
        try
        {
            _owner.OnConnectionClosed(this, cause.Reason, cause.Error);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private async Task<bool> ConnectAsync(SiloAddress target)
    {
        var timeout = _owner.Options.ConnectTimeout;
        using var timer = new CancellationTokenSource(timeout, _owner.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, _closing.Token);
        var cancellationToken = linked.Token;
        try
        {
            EndPoint endPoint;
            Socket socket;
            if (IPAddress.TryParse(target.Host, out var ip))
            {
                endPoint = new IPEndPoint(ip, target.Port);
                socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            }
            else
            {
                endPoint = new DnsEndPoint(target.Host, target.Port);
                socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            }

            socket.NoDelay = true;
            Volatile.Write(ref _socket, socket);
            if (IsClosed)
            {
                // Aborted before the socket existed: Abort could not dispose it, so stop here (CloseAsync disposes it).
                return false;
            }

            RemoteEndPoint = endPoint.ToString();
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            OpenPipes(socket);
            MessageFrameCodec.WriteHello(_output!, new HelloFrame(MessageFrameCodec.ProtocolVersion, _owner.ClusterId, _owner.LocalId, _owner.IsClient));
            await _output!.FlushAsync(cancellationToken).ConfigureAwait(false);

            var answer = await ReadHandshakeFrameAsync(cancellationToken).ConfigureAwait(false);
            switch (answer.Type)
            {
                case FrameType.HelloRefuse:
                    _owner.OnHandshakeRefusedByPeer(RemoteNodeId!, RemoteEndPoint, answer.Text!);
                    SetCause($"refused by the peer: {answer.Text}", null);
                    return false;
                case FrameType.HelloAccept when !string.Equals(answer.Text, RemoteNodeId, StringComparison.Ordinal):
                    // Same endpoint, other process (typically a restart with a new generation): what we queued was meant
                    // for the node we dialled, which no longer exists there.
                    await RefuseAsync(answer.Text!, $"the node at {RemoteEndPoint} is {answer.Text}, not the dialled {RemoteNodeId}").ConfigureAwait(false);
                    return false;
                case FrameType.HelloAccept:
                    var refusal = _owner.TryRegister(this, RemoteNodeId!);
                    if (refusal is not null)
                    {
                        SetCause(refusal, null);
                        return false;
                    }

                    return true;
                default:
                    throw new ProtocolException($"Expected a handshake answer, got a {answer.Type} frame.");
            }
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !_closing.IsCancellationRequested)
        {
            SetCause($"connect and handshake did not complete within {timeout}", null);
            return false;
        }
    }

    private async Task<bool> AcceptAsync(Socket socket)
    {
        Volatile.Write(ref _socket, socket);
        if (IsClosed)
        {
            return false;
        }

        socket.NoDelay = true;
        RemoteEndPoint = socket.RemoteEndPoint?.ToString();
        var timeout = _owner.Options.ConnectTimeout;
        using var timer = new CancellationTokenSource(timeout, _owner.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, _closing.Token);
        var cancellationToken = linked.Token;
        try
        {
            OpenPipes(socket);
            var first = await ReadHandshakeFrameAsync(cancellationToken).ConfigureAwait(false);
            if (first.Type != FrameType.Hello)
            {
                throw new ProtocolException($"Expected a hello, got a {first.Type} frame.");
            }

            var hello = first.Hello!;
            var refusal = _owner.CheckHello(hello);
            if (refusal is null)
            {
                RemoteNodeId = hello.NodeId;
                refusal = _owner.TryRegister(this, hello.NodeId);
                _registered = refusal is null;
            }

            if (refusal is not null)
            {
                // RemoteNodeId stays set when registration refused, so the manager can remove a route it may have
                // published; the connection was never registered, so no PeerDisconnected follows.
                await RefuseAsync(string.IsNullOrEmpty(hello.NodeId) ? "(unknown)" : hello.NodeId, refusal).ConfigureAwait(false);
                return false;
            }

            MessageFrameCodec.WriteText(_output!, FrameType.HelloAccept, _owner.LocalId);
            await _output!.FlushAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !_closing.IsCancellationRequested)
        {
            SetCause($"handshake did not complete within {timeout}", null);
            return false;
        }
    }

    /// <summary>Tells the peer why (best effort: it may be gone already) and records the refusal.</summary>
    private async Task RefuseAsync(string peerNodeId, string reason)
    {
        _owner.OnHandshakeRefused(peerNodeId, RemoteEndPoint, reason);
        SetCause($"handshake refused: {reason}", null);
        try
        {
            MessageFrameCodec.WriteText(_output!, FrameType.HelloRefuse, reason);
            await _output!.FlushAsync(_closing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
            // The refusal is already decided and logged; the peer will see the connection close instead.
        }
    }

    private void OpenPipes(Socket socket)
    {
        _stream = new NetworkStream(socket, ownsSocket: false);
        _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: PipeBufferBytes, minimumReadSize: 1024, leaveOpen: true));
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: PipeBufferBytes, leaveOpen: true));
    }

    private async Task<Frame> ReadHandshakeFrameAsync(CancellationToken cancellationToken)
    {
        // Bounded: each pass either consumes a frame or waits for more bytes, and the frame limit and the handshake
        // timeout bound both how much and how long we wait.
        while (true)
        {
            var result = await _input!.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (MessageFrameCodec.TryRead(ref buffer, out var frame, HandshakeMaxFrameBytes))
            {
                // Frames after the handshake frame stay in the pipe for the reader loop.
                _input.AdvanceTo(buffer.Start);
                return frame;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                throw new IOException("The peer closed the connection during the handshake.");
            }
        }
    }

    private async Task WriterLoopAsync()
    {
        var reader = _outbound.Reader;
        var output = _output!;
        var measureBytes = output.CanGetUnflushedBytes;
        var pendingMessages = 0;
        var pendingFrames = 0;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false) && !IsClosed)
            {
                while (!IsClosed)
                {
                    pendingFrames += WriteControlFrames(output);
                    if (!reader.TryRead(out var message))
                    {
                        break;
                    }

                    if (ReferenceEquals(message, WakeUp))
                    {
                        continue;
                    }

                    if (ReferenceEquals(message, GoAwayAckMarker))
                    {
                        MessageFrameCodec.WritePing(output, FrameType.GoAwayAck, 0);
                        pendingFrames++;
                        continue;
                    }

                    MessageFrameCodec.WriteMessage(output, message);
                    pendingMessages++;
                    pendingFrames++;
                    if (measureBytes && output.UnflushedBytes >= FlushThresholdBytes)
                    {
                        await output.FlushAsync().ConfigureAwait(false);
                        Counted(ref pendingMessages, ref pendingFrames);
                    }
                }

                pendingFrames += WriteControlFrames(output);
                if (pendingFrames > 0)
                {
                    await output.FlushAsync().ConfigureAwait(false);
                    Counted(ref pendingMessages, ref pendingFrames);
                }
            }

            if (!IsClosed)
            {
                // Graceful close: the queue was completed and drained. Half-close so the peer reads everything, then
                // sees the end of the stream and closes its side, which ends our reader loop.
                pendingFrames += WriteControlFrames(output);
                await output.FlushAsync().ConfigureAwait(false);
                Counted(ref pendingMessages, ref pendingFrames);
                _socket!.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception ex)
        {
            SetCause(Describe(ex), ex);
            Abort();
        }
        finally
        {
            _dropped += pendingMessages;
        }
    }

    private void Counted(ref int pendingMessages, ref int pendingFrames)
    {
        _flushes++;
        _messagesSent += pendingMessages;
        _framesSent += pendingFrames;
        pendingMessages = 0;
        pendingFrames = 0;
    }

    private int WriteControlFrames(PipeWriter output)
    {
        var count = 0;
        while (_control.TryDequeue(out var control))
        {
            Interlocked.Decrement(ref _pendingControl);
            MessageFrameCodec.WritePing(output, control.Type, control.PingId);
            count++;
        }

        return count;
    }

    private async Task ReaderLoopAsync()
    {
        var input = _input!;
        var maxFrameBytes = _owner.Options.MaxFrameBytes;
        try
        {
            while (!IsClosed)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                while (MessageFrameCodec.TryRead(ref buffer, out var frame, maxFrameBytes, _strings, _keys))
                {
                    Dispatch(frame);
                }

                var pending = buffer.Length;
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    if (pending > 0)
                    {
                        throw new ProtocolException($"The peer closed the connection in the middle of a frame ({pending} bytes pending).");
                    }

                    SetCause("the peer closed the connection", null);
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            SetCause(Describe(ex), ex);
        }
        finally
        {
            Abort();
        }
    }

    private void Dispatch(in Frame frame)
    {
        _framesReceived++;
        switch (frame.Type)
        {
            case FrameType.Message:
                _messagesReceived++;
                _owner.Deliver(frame.Message!);
                break;
            case FrameType.Ping:
                // A peer that pings without reading our pongs must not grow the control queue without bound; it
                // cannot be healthy, so dropping its pongs (its probes fail) is the right answer anyway.
                if (Volatile.Read(ref _pendingControl) < MaxPendingControlFrames)
                {
                    EnqueueControl(new ControlFrame(FrameType.Pong, frame.PingId));
                }

                break;
            case FrameType.Pong:
                if (_pings.TryRemove(frame.PingId, out var answered))
                {
                    answered.TrySetResult(true);
                }

                break;
            case FrameType.GoAway:
                // Stop routing to the peer first, then acknowledge behind whatever is already queued.
                _owner.OnPeerLeaving(RemoteNodeId!);
                if (!_outbound.Writer.TryWrite(GoAwayAckMarker))
                {
                    _ = QueueGoAwayAckAsync();
                }

                break;
            case FrameType.GoAwayAck:
                _goAwayAcknowledged.TrySetResult();
                break;
            case FrameType.HelloRefuse when Direction == ConnectionDirection.Inbound && _framesReceived == 1:
                // The dialler checked our accept and refused it (it meant a previous generation of this endpoint).
                RefusedByPeer = true;
                _owner.OnHandshakeRefusedByPeer(RemoteNodeId!, RemoteEndPoint, frame.Text!);
                SetCause($"refused by the peer: {frame.Text}", null);
                Abort();
                break;
            default:
                throw new ProtocolException($"Unexpected {frame.Type} frame after the handshake.");
        }
    }

    private void EnqueueControl(ControlFrame control)
    {
        Interlocked.Increment(ref _pendingControl);
        _control.Enqueue(control);

        // If the queue is full the writer is not idle and drains the control queue on its next pass.
        _outbound.Writer.TryWrite(WakeUp);
    }

    // The queue was full: wait for room (nothing new joins it, the peer is leaving). A closed connection needs no ack.
    private async Task QueueGoAwayAckAsync()
    {
        try
        {
            await _outbound.Writer.WriteAsync(GoAwayAckMarker, _closing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
        }
    }

    private void FailPendingPings()
    {
        _goAwayAcknowledged.TrySetResult();
        foreach (var ping in _pings)
        {
            ping.Value.TrySetResult(false);
        }
    }

    private void SetCause(string reason, Exception? error)
        => Interlocked.CompareExchange(ref _cause, new CloseCause(reason, error), null);

    private static string Describe(Exception exception) => exception switch
    {
        ProtocolException => $"protocol error: {exception.Message}",
        SocketException socket => $"socket error {socket.SocketErrorCode}",
        IOException { InnerException: SocketException socket } => $"socket error {socket.SocketErrorCode}",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };

    private sealed record CloseCause(string Reason, Exception? Error);
}
