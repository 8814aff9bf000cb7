namespace Switchboard.TwilioSim;

/// <summary>
/// Models Twilio's outbound playback for one call, to decide when a <c>mark</c> is echoed.
/// Invariants: audio plays in real time from the moment it arrives (μ-law, 8000 bytes/s, so a payload of n
/// bytes adds n/8 ms); the play-out end time never goes backwards except on <c>clear</c>, which resets it to
/// now; a mark is due when playback reaches the point where it was queued (at once if nothing is buffered);
/// <c>clear</c> makes every pending mark due immediately. Marks therefore come due in FIFO order.
/// Not thread-safe: the owning call serialises access.
/// </summary>
internal sealed class PlaybackClock(TimeProvider timeProvider)
{
    private const int BytesPerSecond = 8000;

    private readonly Queue<(string Name, long DueAt)> _pending = new();
    private long _playbackEnd = long.MinValue;

    /// <summary>Marks queued and not yet returned by <see cref="TakeDueMarks"/>.</summary>
    public int PendingMarks => _pending.Count;

    /// <summary>Total audio bytes queued for playback since the start.</summary>
    public long BytesQueued { get; private set; }

    /// <summary>Audio still buffered (not yet played) at the current time.</summary>
    public TimeSpan Buffered
    {
        get
        {
            long now = timeProvider.GetTimestamp();
            return _playbackEnd <= now ? TimeSpan.Zero : timeProvider.GetElapsedTime(now, _playbackEnd);
        }
    }

    /// <summary>Queues <paramref name="bytes"/> of μ-law audio behind whatever is still playing.</summary>
    public void EnqueueAudio(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        long now = timeProvider.GetTimestamp();
        if (_playbackEnd < now)
        {
            _playbackEnd = now;
        }

        _playbackEnd += bytes * timeProvider.TimestampFrequency / BytesPerSecond;
        BytesQueued += bytes;
    }

    /// <summary>Queues a mark at the current end of the playback buffer.</summary>
    public void EnqueueMark(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        long now = timeProvider.GetTimestamp();
        _pending.Enqueue((name, Math.Max(now, _playbackEnd)));
    }

    /// <summary>Drops buffered audio; every pending mark becomes due now.</summary>
    public void Clear()
    {
        long now = timeProvider.GetTimestamp();
        _playbackEnd = now;
        int count = _pending.Count;
        for (int i = 0; i < count; i++)
        {
            var (name, _) = _pending.Dequeue();
            _pending.Enqueue((name, now));
        }
    }

    /// <summary>Moves the names of all marks whose audio has played into <paramref name="due"/>, in order.</summary>
    public int TakeDueMarks(List<string> due)
    {
        ArgumentNullException.ThrowIfNull(due);
        long now = timeProvider.GetTimestamp();
        int taken = 0;
        while (_pending.TryPeek(out var next) && next.DueAt <= now)
        {
            due.Add(_pending.Dequeue().Name);
            taken++;
        }

        return taken;
    }
}
