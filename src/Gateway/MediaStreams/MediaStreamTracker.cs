using System.Collections.Concurrent;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// Process-wide counters of the media-stream sessions: open streams (for /health and the node report) and the
/// latency samples (WebSocket ping round trips: the live audio path) gathered since the last report. Sample storage is bounded:
/// when nobody drains, the oldest samples are dropped.
/// </summary>
internal sealed class MediaStreamTracker
{
    /// <summary>Most samples kept between two drains.</summary>
    public const int MaxSamples = 4096;

    private readonly ConcurrentQueue<double> _samples = new();
    private int _openStreams;
    private long _malformedMessages;

    public int OpenStreams => Volatile.Read(ref _openStreams);

    public long MalformedMessages => Interlocked.Read(ref _malformedMessages);

    public void StreamOpened() => Interlocked.Increment(ref _openStreams);

    public void StreamClosed() => Interlocked.Decrement(ref _openStreams);

    public void MalformedMessage() => Interlocked.Increment(ref _malformedMessages);

    public void AddLatencySample(double milliseconds)
    {
        _samples.Enqueue(milliseconds);
        // Bounded without a lock: a racing reader may briefly see a few more than MaxSamples.
        while (_samples.Count > MaxSamples && _samples.TryDequeue(out _))
        {
        }
    }

    public double[] DrainLatencySamples()
    {
        var drained = new List<double>(_samples.Count);
        while (drained.Count < MaxSamples && _samples.TryDequeue(out var sample))
        {
            drained.Add(sample);
        }

        return [.. drained];
    }
}
