using System.Net.WebSockets;

namespace Switchboard.Gateway.AppStreams;

/// <summary>
/// A WebSocket whose right to exist ends at a fixed instant (its bearer token's expiry). It delegates everything to the
/// accepted socket; at the deadline it sends a close frame with <see cref="AppStreamHandler.TokenExpiredCloseStatus"/>
/// (AUTH_FAILURE) itself, so the session running on top needs no knowledge of tokens.
///
/// Invariants: sends and closes are serialised by one gate, so the expiry close can never overlap a frame the session
/// is writing; after expiry no data frame goes out (a send fails, which the session's observer treats as a gone socket)
/// and no data frame comes in (received data is discarded until the peer's close arrives, so nothing is forwarded on
/// an expired token). The session then sees an ordinary peer close with status 4401 and tells its grain
/// (<c>SocketClosed</c>). A peer that does not answer the close within the handshake timeout is aborted.
/// </summary>
internal sealed class ExpiringWebSocket : WebSocket
{
    private const string ExpiredReason = "AUTH_FAILURE: token expired";

    // Timers cannot be set further ahead than about 49 days; a longer-lived token is re-armed until its deadline.
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(30);

    private readonly WebSocket _inner;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _closeHandshakeTimeout;
    private readonly Action _onExpired;
    private readonly DateTimeOffset _deadline;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly ITimer _expiry;
    private ITimer? _abort;
    private volatile bool _expired;
    private volatile bool _disposed;

    public ExpiringWebSocket(WebSocket inner, DateTimeOffset deadline, TimeSpan closeHandshakeTimeout, TimeProvider timeProvider, Action onExpired)
    {
        _inner = inner;
        _timeProvider = timeProvider;
        _closeHandshakeTimeout = closeHandshakeTimeout;
        _onExpired = onExpired;
        _deadline = deadline;
        _expiry = timeProvider.CreateTimer(static state => ((ExpiringWebSocket)state!).Expire(), this, DueIn(), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Whether the deadline passed.</summary>
    public bool Expired => _expired;

    /// <summary>Completes once the expiry close frame was written (or could not be).</summary>
    public Task ExpiryClose { get; private set; } = Task.CompletedTask;

    public override WebSocketCloseStatus? CloseStatus => _inner.CloseStatus;

    public override string? CloseStatusDescription => _inner.CloseStatusDescription;

    public override WebSocketState State => _inner.State;

    public override string? SubProtocol => _inner.SubProtocol;

    public override void Abort() => _inner.Abort();

    public override async Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_inner.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendGate.Release();
        }

        if (_inner.State == WebSocketState.CloseSent)
        {
            await DrainUntilCloseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // After the expiry close, the session's own close (answering the peer's) has nothing left to send.
            if (_inner.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendGate.Release();
        }
    }

    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        ReceiveSegmentAsync(buffer, cancellationToken);

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (!_expired || result.MessageType == WebSocketMessageType.Close)
            {
                return result;
            }
        }
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage ? WebSocketMessageFlags.EndOfMessage : WebSocketMessageFlags.None, cancellationToken).AsTask();

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer, messageType, endOfMessage ? WebSocketMessageFlags.EndOfMessage : WebSocketMessageFlags.None, cancellationToken);

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, WebSocketMessageFlags messageFlags, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_expired)
            {
                throw new WebSocketException(WebSocketError.InvalidState, "The connection's token expired; nothing more is sent.");
            }

            await _inner.SendAsync(buffer, messageType, messageFlags, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    public override void Dispose()
    {
        // The gate is not disposed: an expiry close still in flight releases it after this (a SemaphoreSlim that never
        // handed out its wait handle holds nothing to free).
        _disposed = true;
        _expiry.Dispose();
        _abort?.Dispose();
        _inner.Dispose();
    }

    private TimeSpan DueIn()
    {
        var remaining = _deadline - _timeProvider.GetUtcNow();
        return remaining <= TimeSpan.Zero ? TimeSpan.Zero : remaining < MaxTimerDue ? remaining : MaxTimerDue;
    }

    private void Expire()
    {
        if (_expired || _disposed || _inner.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        if (_timeProvider.GetUtcNow() < _deadline)
        {
            _expiry.Change(DueIn(), Timeout.InfiniteTimeSpan);
            return;
        }

        _expired = true;
        _onExpired();
        ExpiryClose = SendExpiryCloseAsync();
    }

    private async Task SendExpiryCloseAsync()
    {
        await _sendGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_inner.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _inner.CloseOutputAsync((WebSocketCloseStatus)AppStreamHandler.TokenExpiredCloseStatus, ExpiredReason, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The socket is already gone: nothing to close, and the session learns it from its receive.
        }
        finally
        {
            _sendGate.Release();
        }

        // Crash-or-continue: a peer that never answers our close is cut off, as the session does for its own closes.
        if (_disposed)
        {
            return;
        }

        _abort = _timeProvider.CreateTimer(static state => ((WebSocket)state!).Abort(), _inner, _closeHandshakeTimeout, Timeout.InfiniteTimeSpan);
    }

    private async Task<WebSocketReceiveResult> ReceiveSegmentAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        return result.MessageType == WebSocketMessageType.Close
            ? new WebSocketReceiveResult(result.Count, result.MessageType, result.EndOfMessage, _inner.CloseStatus, _inner.CloseStatusDescription)
            : new WebSocketReceiveResult(result.Count, result.MessageType, result.EndOfMessage);
    }

    private async Task DrainUntilCloseAsync(CancellationToken cancellationToken)
    {
        var scratch = new byte[1024];
        while (_inner.State == WebSocketState.CloseSent)
        {
            var result = await _inner.ReceiveAsync(scratch.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }
}
