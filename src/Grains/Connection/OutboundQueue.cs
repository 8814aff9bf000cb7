using Switchboard.Grains.Applications;

namespace Switchboard.Grains.Connection;

/// <summary>
/// Accounting of outbound audio sent to Twilio but not yet confirmed played, in milliseconds of 8 kHz μ-law
/// (8 bytes per ms), plus the FIFO of marks awaiting their echo.
/// </summary>
/// <remarks>
/// <para>Offsets: <c>_sent</c> counts every byte accepted; <c>_resolved</c> is the offset up to which audio is known
/// played or discarded. Buffered = sent − resolved. A mark records the sent offset when it was queued, so its
/// "played" echo resolves everything before it. <see cref="Clear"/> resolves everything and tags every pending mark as
/// cleared: Twilio echoes every pending mark after a <c>clear</c>, and those echoes mean "cleared", never "played".</para>
/// <para>Overflow policy: <see cref="TryEnqueueMedia"/> refuses (nothing queued, counters unchanged except
/// <see cref="Rejected"/>) when buffered + new would exceed the bound; the caller gets the refusal as a value. Marks are
/// refused past <c>maxPendingMarks</c>. Nothing ever grows silently.</para>
/// <para>Unexpected echoes (rule): an echo equal to the FIFO head pops it. An echo equal to a later entry (the first
/// such) pops every entry up to and including it: Twilio plays in order, so the earlier marks are past; each
/// skipped entry counts as <see cref="UnexpectedEchoes"/> and is resolved with its own played/cleared tag. An echo
/// matching no pending mark counts as unexpected and changes nothing.</para>
/// </remarks>
internal sealed class OutboundQueue
{
    /// <summary>μ-law at 8 kHz: bytes per millisecond.</summary>
    public const int BytesPerMs = 8;

    private readonly long _maxBytes;
    private readonly int _maxPendingMarks;
    private readonly LinkedList<PendingMark> _marks = new();
    private long _sent;
    private long _resolved;

    public OutboundQueue(TimeSpan maxBufferedAudio, int maxPendingMarks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxBufferedAudio, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPendingMarks, 1);
        _maxBytes = (long)(maxBufferedAudio.TotalMilliseconds * BytesPerMs);
        _maxPendingMarks = maxPendingMarks;
    }

    /// <summary>Audio sent and neither confirmed played nor cleared, in bytes.</summary>
    public long BufferedBytes => _sent - _resolved;

    /// <summary>Audio sent and neither confirmed played nor cleared, in milliseconds.</summary>
    public double BufferedMs => (double)BufferedBytes / BytesPerMs;

    /// <summary>Marks awaiting their echo.</summary>
    public int PendingMarks => _marks.Count;

    /// <summary>Total bytes accepted.</summary>
    public long BytesSent => _sent;

    /// <summary>Echoes meaning played.</summary>
    public long MarksPlayed { get; private set; }

    /// <summary>Echoes meaning cleared.</summary>
    public long MarksCleared { get; private set; }

    /// <summary>Echoes that did not match the FIFO head (see the rules above).</summary>
    public long UnexpectedEchoes { get; private set; }

    /// <summary>Enqueues refused (overflow or too many marks).</summary>
    public long Rejected { get; private set; }

    /// <summary><c>clear</c>s issued.</summary>
    public long Clears { get; private set; }

    /// <summary>Pending marks in FIFO order with their cleared tag (for a checkpoint).</summary>
    public IReadOnlyList<ConnectionCheckpointMark> PendingMarkList()
        => _marks.Select(m => new ConnectionCheckpointMark(m.Name, m.Cleared)).ToArray();

    /// <summary>Resumes a checkpointed queue: no audio is buffered (what was in flight belongs to the old activation's
    /// accounting), but the pending marks are back in FIFO order so their echoes still resolve as played or cleared.
    /// Restored marks sit at offset 0, so their echo resolves no audio.</summary>
    public void Restore(IEnumerable<ConnectionCheckpointMark> pendingMarks, long marksPlayed, long marksCleared, long unexpectedEchoes, long rejected, long clears)
    {
        ArgumentNullException.ThrowIfNull(pendingMarks);
        _marks.Clear();
        foreach (var mark in pendingMarks)
        {
            _marks.AddLast(new PendingMark(mark.Name, 0, mark.Cleared));
        }

        _sent = _resolved = 0;
        MarksPlayed = marksPlayed;
        MarksCleared = marksCleared;
        UnexpectedEchoes = unexpectedEchoes;
        Rejected = rejected;
        Clears = clears;
    }

    /// <summary>Accounts <paramref name="bytes"/> of audio if it fits; returns false (nothing accounted) otherwise.</summary>
    public bool TryEnqueueMedia(int bytes)
    {
        if (bytes < 0 || BufferedBytes + bytes > _maxBytes)
        {
            Rejected++;
            return false;
        }

        _sent += bytes;
        return true;
    }

    /// <summary>Appends a mark after the audio accounted so far; false when the FIFO is full.</summary>
    public bool TryEnqueueMark(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_marks.Count >= _maxPendingMarks)
        {
            Rejected++;
            return false;
        }

        _marks.AddLast(new PendingMark(name, _sent, Cleared: false));
        return true;
    }

    /// <summary>Drops all buffered audio; every pending mark will be echoed as cleared.</summary>
    public void Clear()
    {
        Clears++;
        _resolved = _sent;
        for (var node = _marks.First; node is not null; node = node.Next)
        {
            node.Value = node.Value with { Cleared = true };
        }
    }

    /// <summary>Forgets buffered audio and pending marks (the socket they belonged to is gone); returns the dropped names.</summary>
    public IReadOnlyList<string> Reset()
    {
        var dropped = _marks.Select(m => m.Name).ToList();
        _marks.Clear();
        _resolved = _sent;
        return dropped;
    }

    /// <summary>Resolves an echo of mark <paramref name="name"/> by the rules above.</summary>
    public MarkEchoResult OnMarkEcho(string? name)
    {
        var match = _marks.First;
        var skipped = 0;
        while (match is not null && !string.Equals(match.Value.Name, name, StringComparison.Ordinal))
        {
            match = match.Next;
            skipped++;
        }

        if (match is null)
        {
            UnexpectedEchoes++;
            return new MarkEchoResult(MarkOutcome.Unexpected, []);
        }

        UnexpectedEchoes += skipped;
        var resolved = skipped == 0 ? [] : new (string, MarkOutcome)[skipped];
        for (var i = 0; i < skipped; i++)
        {
            var head = _marks.First!.Value;
            _marks.RemoveFirst();
            resolved[i] = (head.Name, Resolve(head));
        }

        var outcome = Resolve(match.Value);
        _marks.RemoveFirst();
        return new MarkEchoResult(outcome, resolved);
    }

    private MarkOutcome Resolve(PendingMark mark)
    {
        if (mark.Cleared)
        {
            MarksCleared++;
            return MarkOutcome.Cleared;
        }

        MarksPlayed++;
        _resolved = Math.Max(_resolved, mark.Offset);
        return MarkOutcome.Played;
    }

    private readonly record struct PendingMark(string Name, long Offset, bool Cleared);
}
