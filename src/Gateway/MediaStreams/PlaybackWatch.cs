using Switchboard.Grains;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// How far the peer is behind on the audio this socket sent it, in terms the peer confirms: Twilio plays outbound audio
/// in real time and echoes a mark once the audio before it has played (at once after a <c>clear</c>). The watch keeps
/// the time the audio sent so far will have finished playing, sends a probe mark (<see cref="MarkNames.GatewayProbePrefix"/>)
/// after every <see cref="ProbeInterval"/> of audio, and knows when each probe is due back. <see cref="Overdue"/> is how
/// long the oldest unanswered probe is past its due time.
/// </summary>
/// <remarks>Why not the send itself: on loopback and fast networks the kernel's socket buffers take many seconds of
/// audio, so a peer that stopped reading never makes a send stall, and the call went on open and mute. Thread-safe: the
/// send loop reports sends, the receive loop reports echoes, a timer reads <see cref="Overdue"/>.</remarks>
internal sealed class PlaybackWatch(TimeProvider time)
{
    /// <summary>Audio sent between two probe marks: two probes a second each way on a call that talks all the time.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(500);

    // μ-law at 8 kHz: 8 bytes a millisecond.
    private const int BytesPerMs = 8;
    private static readonly long ProbeBytes = (long)(ProbeInterval.TotalMilliseconds * BytesPerMs);

    private readonly Lock _lock = new();
    private readonly Queue<(long Number, DateTimeOffset Due)> _pending = new();
    private DateTimeOffset _playedBy = DateTimeOffset.MinValue;
    private long _bytesSinceProbe;
    private long _lastProbe;

    /// <summary>Probes sent and not yet echoed.</summary>
    public int PendingProbes
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>How long the oldest unanswered probe is past the time its audio should have played; zero when none is.</summary>
    public TimeSpan Overdue
    {
        get
        {
            lock (_lock)
            {
                if (!_pending.TryPeek(out var oldest))
                {
                    return TimeSpan.Zero;
                }

                var late = time.GetUtcNow() - oldest.Due;
                return late > TimeSpan.Zero ? late : TimeSpan.Zero;
            }
        }
    }

    /// <summary>A media frame of <paramref name="bytes"/> went out; returns the name of a probe mark to send after it, or null.</summary>
    public string? OnMediaSent(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_lock)
        {
            var now = time.GetUtcNow();
            _playedBy = (_playedBy > now ? _playedBy : now) + TimeSpan.FromMilliseconds((double)bytes / BytesPerMs);
            _bytesSinceProbe += bytes;
            if (_bytesSinceProbe < ProbeBytes)
            {
                return null;
            }

            _bytesSinceProbe = 0;
            _pending.Enqueue((++_lastProbe, _playedBy));
            return MarkNames.GatewayProbePrefix + _lastProbe.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>A <c>clear</c> went out: Twilio drops what it had not played and echoes every pending mark now.</summary>
    public void OnClearSent()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            _playedBy = now;
            var count = _pending.Count;
            for (var i = 0; i < count; i++)
            {
                var (number, due) = _pending.Dequeue();
                _pending.Enqueue((number, due < now ? due : now));
            }
        }
    }

    /// <summary>A mark echo arrived; true when it was one of our probes (every probe up to it is answered: marks echo in order).</summary>
    public bool OnMarkEcho(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!MarkNames.IsGatewayProbe(name))
        {
            return false;
        }

        if (!long.TryParse(name.AsSpan(MarkNames.GatewayProbePrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            // Ours by its name but not a probe we sent: nothing to answer, and not the application's either.
            return true;
        }

        lock (_lock)
        {
            while (_pending.TryPeek(out var oldest) && oldest.Number <= number)
            {
                _pending.Dequeue();
            }
        }

        return true;
    }
}
