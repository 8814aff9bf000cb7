using System.Buffers;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// The buffer one socket receives a message into: pooled, <see cref="InitialBytes"/> to start, doubled while a message
/// needs more, up to the message limit, and back to the small size once that message is handled.
///
/// Why not one buffer of the limit per socket: a Twilio message is small (a 20 ms media frame is about 350 bytes, a
/// <c>start</c> with custom parameters a few KiB), and a 64 KiB buffer held by every socket was 64 of the 103 KB an
/// idle call cost in embedded mode (measured with <c>LoadGen idle --server embedded --calls 2000</c>: 106 KB per call
/// with <c>Gateway:MaxMessageBytes</c> 65536, 55 KB with 4096). The limit itself stays where the operator set it.
/// </summary>
internal sealed class ReceiveBuffer : IDisposable
{
    /// <summary>Size a socket's buffer starts at and returns to: room for any message Twilio sends in practice.</summary>
    public const int InitialBytes = 4096;

    private readonly int _limit;
    private byte[]? _array;
    private int _count;

    public ReceiveBuffer(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _limit = limit;
        _array = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBytes, limit));
    }

    /// <summary>Bytes of the current message received so far.</summary>
    public int Count => _count;

    /// <summary>True once the current message has reached the limit: there is no room for another byte.</summary>
    public bool IsAtLimit => _count >= _limit;

    /// <summary>The current message's bytes.</summary>
    public ReadOnlySpan<byte> Message => Array.AsSpan(0, _count);

    /// <summary>Room for the next read of the current message, grown first when the buffer is full; empty at the limit.</summary>
    public Memory<byte> Room()
    {
        var array = Array;
        if (_count == array.Length && array.Length < _limit)
        {
            var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)array.Length * 2, _limit));
            array.AsSpan(0, _count).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(array);
            _array = array = grown;
        }

        return array.AsMemory(_count, Math.Min(array.Length, _limit) - _count);
    }

    /// <summary>Counts <paramref name="received"/> bytes the last read put into <see cref="Room"/>.</summary>
    public void Advance(int received)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(received);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(received, _limit - _count);
        _count += received;
    }

    /// <summary>Starts the next message; a buffer grown for a large message goes back to the pool.</summary>
    public void Reset()
    {
        _count = 0;
        var array = Array;
        if (array.Length > InitialBytes)
        {
            ArrayPool<byte>.Shared.Return(array);
            _array = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBytes, _limit));
        }
    }

    public void Dispose()
    {
        if (_array is { } array)
        {
            _array = null;
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private byte[] Array => _array ?? throw new ObjectDisposedException(nameof(ReceiveBuffer));
}
