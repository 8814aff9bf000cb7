namespace Switchboard.TwilioSim;

/// <summary>
/// Matches the echoed (outbound) audio of one call against the inbound audio that was sent.
/// Invariants: with an echo server, outbound bytes equal inbound bytes in order, so the n-th echoed byte
/// must equal the n-th sent byte, i.e. <c>audio[n mod audio.Length]</c>. An outbound message covering
/// stream bytes [a, b) completes the round trip of the frame holding byte b−1; its RTT is the receive time
/// minus that frame's send time. Bytes that differ (reordering, corruption) or that were never sent are
/// counted as mismatched, never thrown. Not thread-safe: the owning call serialises access.
/// Continuity (for failover measurements): the longest echo gap is the longest interval without echo while the call
/// streams (not every frame sent yet): between two consecutive echo payloads received while streaming, and from the
/// last echo (or the first frame, if nothing came back) to the end of streaming. Time after the last frame is not
/// counted: an application may legitimately hold its last partial chunk until <c>stop</c> (the echo application
/// does), so a gap there says nothing about the server's continuity; a stall that never resumes still shows up, up to
/// the end of streaming. Echo completion times are kept per frame so "when did the echo
/// resume after instant T" can be answered afterwards: the time the first frame sent at or after T was fully echoed.
/// </summary>
internal sealed class EchoMatcher
{
    private readonly ReadOnlyMemory<byte> _audio;
    private readonly int _frameBytes;
    private readonly long[] _sentAt;
    private readonly long[] _echoedAt;
    /// <summary>Longest lost run recognised as a skip: 10 s of 8 kHz μ-law (a failover holds at most 5 s).</summary>
    private const long MaxSkipBytes = 80_000;

    private readonly LatencyHistogram _histogram;
    private long _position;
    private readonly TimeProvider _timeProvider;
    private long _lastEchoAt;
    private long _streamEndedAt;
    private TimeSpan _longestGap;
    private long _longestGapStartedAt;

    /// <summary>Creates a matcher for up to <paramref name="frameCount"/> frames of <paramref name="frameBytes"/> bytes.</summary>
    public EchoMatcher(ReadOnlyMemory<byte> audio, int frameCount, int frameBytes, LatencyHistogram histogram, TimeProvider timeProvider)
    {
        if (audio.IsEmpty)
        {
            throw new ArgumentException("Audio must not be empty.", nameof(audio));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameBytes, 1);
        ArgumentNullException.ThrowIfNull(histogram);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _audio = audio;
        _frameBytes = frameBytes;
        _sentAt = new long[frameCount];
        _echoedAt = new long[frameCount];
        _histogram = histogram;
        _timeProvider = timeProvider;
    }

    /// <summary>Inbound bytes sent so far.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Outbound bytes received so far (including mismatched ones).</summary>
    public long BytesEchoed { get; private set; }

    /// <summary>Echoed bytes that differ from what was sent at that offset, or that exceed what was sent, and that are not
    /// explained by a skipped (lost) run: reordering, duplication or corruption.</summary>
    public long MismatchedBytes { get; private set; }

    /// <summary>Round trips measured by this matcher.</summary>
    public long RoundTrips { get; private set; }

    /// <summary>Sent bytes skipped by the echo: a run of audio that never came back, after which the echo continued with
    /// later audio, in order (e.g. frames lost with a silo that died). Counted in <see cref="Lost"/>, never as mismatched.</summary>
    public long SkippedBytes { get; private set; }

    /// <summary>Sent bytes not (yet) echoed: the skipped runs plus the tail not echoed yet.</summary>
    public long Lost => Math.Max(0, BytesSent - _position) + SkippedBytes;

    /// <summary>Whether streaming is over: every frame was sent, or <see cref="EndStreaming"/> was called.</summary>
    public bool StreamingEnded => _streamEndedAt != 0;

    /// <summary>
    /// The longest echo gap so far (see the class remarks); while streaming, the gap still open since the last echo
    /// counts too, so a stalled call shows a growing gap before its echo resumes.
    /// </summary>
    public TimeSpan LongestGap
    {
        get
        {
            if (_streamEndedAt != 0 || BytesSent == 0)
            {
                return _longestGap;
            }

            var open = _timeProvider.GetElapsedTime(_lastEchoAt != 0 ? _lastEchoAt : _sentAt[0]);
            return open > _longestGap ? open : _longestGap;
        }
    }

    /// <summary>The payload of frame <paramref name="frameIndex"/> (a slice of the looped audio, copied to <paramref name="destination"/>).</summary>
    public void CopyFrame(long frameIndex, Span<byte> destination)
    {
        long offset = frameIndex * _frameBytes;
        var audio = _audio.Span;
        int written = 0;
        while (written < _frameBytes)
        {
            int start = (int)((offset + written) % audio.Length);
            int count = Math.Min(_frameBytes - written, audio.Length - start);
            audio.Slice(start, count).CopyTo(destination[written..]);
            written += count;
        }
    }

    /// <summary>Records that frame <paramref name="frameIndex"/> (frames are sent in order from 0) is being sent now.</summary>
    public void RecordSent(int frameIndex)
    {
        if (frameIndex != BytesSent / _frameBytes || frameIndex >= _sentAt.Length)
        {
            throw new InvalidOperationException($"Frame {frameIndex} is out of order (sent {BytesSent} bytes, capacity {_sentAt.Length} frames).");
        }

        long now = _timeProvider.GetTimestamp();
        _sentAt[frameIndex] = now;
        BytesSent += _frameBytes;
        if (frameIndex == _sentAt.Length - 1)
        {
            CloseStreaming(now);
        }
    }

    /// <summary>When the first frame was sent (a timestamp of this matcher's clock), 0 before that.</summary>
    public long FirstSentAt => BytesSent == 0 ? 0 : _sentAt[0];

    /// <summary>When the longest echo gap began (a timestamp of this matcher's clock; the gap still open while streaming
    /// included), 0 when there was none.</summary>
    public long LongestGapStartedAt
    {
        get
        {
            if (_streamEndedAt == 0 && BytesSent > 0)
            {
                long openSince = _lastEchoAt != 0 ? _lastEchoAt : _sentAt[0];
                if (_timeProvider.GetElapsedTime(openSince) > _longestGap)
                {
                    return openSince;
                }
            }

            return _longestGapStartedAt;
        }
    }

    /// <summary>Ends streaming early (the call failed or was aborted): the gap open now is closed and counted.</summary>
    public void EndStreaming() => CloseStreaming(_timeProvider.GetTimestamp());

    /// <summary>
    /// How long after <paramref name="instant"/> (a timestamp of this matcher's clock) the echo resumed: the time from
    /// the instant until the first frame sent at or after it was completely echoed. Frames lost at the instant (a
    /// skipped run) are passed over: the echo resumed with the first later frame that came back. Echoes are in order,
    /// so that frame is also the earliest echoed. Null when no frame sent at or after the instant has been echoed (yet).
    /// </summary>
    public TimeSpan? EchoResumedAfter(long instant)
    {
        int sent = (int)(BytesSent / _frameBytes);
        for (int f = FirstSentAtOrAfter(instant, sent); f < sent; f++)
        {
            if (_echoedAt[f] != 0)
            {
                return _timeProvider.GetElapsedTime(instant, _echoedAt[f]);
            }
        }

        return null;
    }

    /// <summary>Accounts for one outbound payload; returns the round trip it completed, if any.</summary>
    public TimeSpan? OnEcho(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return null;
        }

        long now = _timeProvider.GetTimestamp();
        if (_lastEchoAt != 0 && _streamEndedAt == 0)
        {
            RecordGap(_lastEchoAt, now);
        }

        _lastEchoAt = now;
        BytesEchoed += payload.Length;

        // In order, possibly after a lost run: the payload is the audio at the expected offset, or, when it is not, the
        // audio a little later (within MaxSkipBytes). Anything else (reordered, duplicated, corrupt) is compared
        // byte by byte at the expected offset and counted as mismatched.
        long start = _position;
        if (!MatchesAt(start, payload) && FindAhead(payload) is long later)
        {
            SkippedBytes += later - start;
            start = later;
        }

        long end = start + payload.Length;
        long comparable = Math.Min(end, BytesSent) - start;
        if (comparable < payload.Length)
        {
            MismatchedBytes += payload.Length - Math.Max(0, comparable);
        }

        var audio = _audio.Span;
        for (long i = 0; i < comparable;)
        {
            int audioIndex = (int)((start + i) % audio.Length);
            int count = (int)Math.Min(comparable - i, audio.Length - audioIndex);
            var expected = audio.Slice(audioIndex, count);
            var actual = payload.Slice((int)i, count);
            if (!expected.SequenceEqual(actual))
            {
                for (int j = 0; j < count; j++)
                {
                    if (expected[j] != actual[j])
                    {
                        MismatchedBytes++;
                    }
                }
            }

            i += count;
        }

        long completeBefore = Math.Min(start, BytesSent) / _frameBytes;
        long completeAfter = Math.Min(end, BytesSent) / _frameBytes;
        for (long f = completeBefore; f < completeAfter; f++)
        {
            _echoedAt[f] = now;
        }

        _position = end;
        if (end > BytesSent)
        {
            return null;
        }

        long frame = (end - 1) / _frameBytes;
        var rtt = _timeProvider.GetElapsedTime(_sentAt[frame], now);
        _histogram.Record(rtt);
        RoundTrips++;
        return rtt;
    }

    private bool MatchesAt(long offset, ReadOnlySpan<byte> payload)
    {
        if (offset + payload.Length > BytesSent)
        {
            return false;
        }

        var audio = _audio.Span;
        for (int i = 0; i < payload.Length;)
        {
            int audioIndex = (int)((offset + i) % audio.Length);
            int count = Math.Min(payload.Length - i, audio.Length - audioIndex);
            if (!audio.Slice(audioIndex, count).SequenceEqual(payload.Slice(i, count)))
            {
                return false;
            }

            i += count;
        }

        return true;
    }

    private long? FindAhead(ReadOnlySpan<byte> payload)
    {
        // Only payloads long enough to identify a position (a few frames' worth of the looped audio would repeat).
        if (payload.Length < 16)
        {
            return null;
        }

        var audio = _audio.Span;
        long last = Math.Min(BytesSent - payload.Length, _position + MaxSkipBytes);
        for (long offset = _position + 1; offset <= last; offset++)
        {
            if (audio[(int)(offset % audio.Length)] == payload[0] && MatchesAt(offset, payload))
            {
                return offset;
            }
        }

        return null;
    }

    private void CloseStreaming(long now)
    {
        if (_streamEndedAt != 0 || BytesSent == 0)
        {
            _streamEndedAt = _streamEndedAt != 0 ? _streamEndedAt : now;
            return;
        }

        _streamEndedAt = now;
        RecordGap(_lastEchoAt != 0 ? _lastEchoAt : _sentAt[0], now);
    }

    private void RecordGap(long from, long to)
    {
        var gap = _timeProvider.GetElapsedTime(from, to);
        if (gap > _longestGap)
        {
            _longestGap = gap;
            _longestGapStartedAt = from;
        }
    }

    private int FirstSentAtOrAfter(long instant, int sent)
    {
        // Send times never decrease with the frame index: binary search.
        int low = 0, high = sent;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            if (_sentAt[middle] >= instant)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}
