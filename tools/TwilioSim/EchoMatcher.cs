namespace Switchboard.TwilioSim;

/// <summary>
/// Matches the echoed (outbound) audio of one call against the inbound audio that was sent.
/// Invariants: with an echo server, outbound bytes equal inbound bytes in order, so the n-th echoed byte
/// must equal the n-th sent byte, i.e. <c>audio[n mod audio.Length]</c>. An outbound message covering
/// stream bytes [a, b) completes the round trip of the frame holding byte b−1; its RTT is the receive time
/// minus that frame's send time. Bytes that differ (reordering, corruption) or that were never sent are
/// counted as mismatched, never thrown. Not thread-safe: the owning call serialises access.
/// </summary>
internal sealed class EchoMatcher
{
    private readonly ReadOnlyMemory<byte> _audio;
    private readonly int _frameBytes;
    private readonly long[] _sentAt;
    private readonly LatencyHistogram _histogram;
    private readonly TimeProvider _timeProvider;

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
        _histogram = histogram;
        _timeProvider = timeProvider;
    }

    /// <summary>Inbound bytes sent so far.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Outbound bytes received so far (including mismatched ones).</summary>
    public long BytesEchoed { get; private set; }

    /// <summary>Echoed bytes that differ from what was sent at that offset, or that exceed what was sent.</summary>
    public long MismatchedBytes { get; private set; }

    /// <summary>Round trips measured by this matcher.</summary>
    public long RoundTrips { get; private set; }

    /// <summary>Sent bytes not (yet) echoed.</summary>
    public long Lost => Math.Max(0, BytesSent - BytesEchoed);

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

        _sentAt[frameIndex] = _timeProvider.GetTimestamp();
        BytesSent += _frameBytes;
    }

    /// <summary>Accounts for one outbound payload; returns the round trip it completed, if any.</summary>
    public TimeSpan? OnEcho(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return null;
        }

        long now = _timeProvider.GetTimestamp();
        long start = BytesEchoed;
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

        BytesEchoed = end;
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
}
