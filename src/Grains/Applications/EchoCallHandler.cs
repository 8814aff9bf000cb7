namespace Switchboard.Grains.Applications;

/// <summary>
/// Echoes inbound audio back to the caller. Audio is accumulated and sent in chunks of at least
/// <see cref="DefaultChunkBytes"/> (50 ms: many tiny chunks cause jitter at Twilio), each followed by a mark
/// <c>echo-&lt;n&gt;</c> (n from 1). The remainder is flushed (with its mark) on a normal stop. If the outbound queue
/// refuses a chunk (overflow), the chunk is dropped without a mark and counted: echo is best effort, never unbounded.
/// Only the <c>inbound</c> track is echoed.
/// </summary>
internal sealed class EchoCallHandler(ICallSession session, int chunkBytes) : ICallHandler
{
    /// <summary>50 ms of 8 kHz μ-law.</summary>
    public const int DefaultChunkBytes = 400;

    private readonly byte[] _buffer = new byte[Math.Max(chunkBytes, 1) * 2];
    private byte[] _pending = [];
    private int _length;
    private int _marks;

    /// <summary>Chunks refused by the outbound queue.</summary>
    public long DroppedChunks { get; private set; }

    public Task OnStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Audio waits in the buffer until a chunk is full: only then is the input behind it handled.
    public bool AcknowledgesInput => true;

    public Task OnMediaAsync(InboundMedia media, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        if (!string.Equals(media.Track, "inbound", StringComparison.OrdinalIgnoreCase) || media.Payload is null)
        {
            return Task.CompletedTask;
        }

        Append(media.Payload);
        if (_length >= chunkBytes)
        {
            Flush();
            session.MarkConsumed();
        }

        return Task.CompletedTask;
    }

    public Task OnMarkAsync(string name, MarkOutcome outcome, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task OnDtmfAsync(DtmfEvent dtmf, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task OnStopAsync(ConnectionErrorCode error, CancellationToken cancellationToken)
    {
        if (_length > 0)
        {
            Flush();
        }

        session.MarkConsumed();
        return Task.CompletedTask;
    }

    /// <summary>The partial chunk would be lost with this silo's memory: echo it now.</summary>
    public Task OnHandOffAsync(CancellationToken cancellationToken) => OnStopAsync(ConnectionErrorCode.None, cancellationToken);

    private void Append(byte[] payload)
    {
        // Normal frames (160 B) fit the fixed buffer; an oversized frame grows a spill buffer once.
        var target = _pending.Length > 0 ? _pending : _buffer;
        if (_length + payload.Length > target.Length)
        {
            var grown = new byte[Math.Max(target.Length * 2, _length + payload.Length)];
            target.AsSpan(0, _length).CopyTo(grown);
            _pending = grown;
            target = grown;
        }

        payload.CopyTo(target.AsSpan(_length));
        _length += payload.Length;
    }

    private void Flush()
    {
        var target = _pending.Length > 0 ? _pending : _buffer;
        var result = session.SendMedia(target.AsSpan(0, _length));
        _length = 0;
        _pending = [];
        if (!result.Accepted)
        {
            DroppedChunks++;
            return;
        }

        _marks++;
        session.SendMark($"echo-{_marks}");
    }
}
