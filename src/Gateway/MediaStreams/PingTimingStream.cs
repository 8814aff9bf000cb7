namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// Wraps the upgraded transport of one WebSocket to time PING/PONG round trips without touching the WebSocket
/// implementation. ASP.NET's keep-alive (KeepAliveInterval + KeepAliveTimeout) writes PING frames (opcode 0x9) and
/// requires the client's PONG (opcode 0xA). Both directions are tracked by a frame-header parser, so a PONG split
/// across reads or following other frames in the same read is still found. Only one PING is outstanding at a time
/// (the runtime waits for its PONG); an unsolicited PONG with no PING pending is ignored.
/// </summary>
internal sealed class PingTimingStream : Stream
{
    private const int PingOpcode = 0x9;
    private const int PongOpcode = 0xA;

    private readonly Stream _inner;
    private readonly PingRoundTripMonitor _monitor;
    private readonly TimeProvider _timeProvider;
    private readonly WebSocketFrameHeaderParser _outbound;
    private readonly WebSocketFrameHeaderParser _inbound;
    private long _pingSentAt;

    public PingTimingStream(Stream inner, PingRoundTripMonitor monitor, TimeProvider timeProvider)
    {
        _inner = inner;
        _monitor = monitor;
        _timeProvider = timeProvider;
        _outbound = new WebSocketFrameHeaderParser(OnOutboundFrame);
        _inbound = new WebSocketFrameHeaderParser(OnInboundFrame);
    }

    public override bool CanRead => _inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => _inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = _inner.Read(buffer, offset, count);
        _inbound.Feed(buffer.AsSpan(offset, read));
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _inbound.Feed(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _outbound.Feed(buffer.AsSpan(offset, count));
        _inner.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Timestamp before the bytes leave: the round trip includes our own send.
        _outbound.Feed(buffer.Span);
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void OnOutboundFrame(int opcode)
    {
        if (opcode == PingOpcode)
        {
            Interlocked.Exchange(ref _pingSentAt, _timeProvider.GetTimestamp());
        }
    }

    private void OnInboundFrame(int opcode)
    {
        if (opcode != PongOpcode)
        {
            return;
        }

        var sentAt = Interlocked.Exchange(ref _pingSentAt, 0);
        if (sentAt != 0)
        {
            _monitor.Report(_timeProvider.GetElapsedTime(sentAt).TotalMilliseconds);
        }
    }
}
