namespace Switchboard.Grains.Tests.Hosting;

/// <summary>Messages a gateway would send, for grain tests.</summary>
internal static class GrainCallHelpers
{
    /// <summary>A fresh stream sid per test, so tests sharing a silo never share a grain.</summary>
    public static string NewStreamSid() => $"MZ{Guid.NewGuid():N}";

    /// <summary>A start for <paramref name="streamSid"/> on a call of its own (one live stream per call).</summary>
    public static StreamStart StartOf(string streamSid)
        => new(streamSid, "AC1", "CA" + streamSid[2..], ["inbound"], new MediaFormat("audio/x-mulaw", 8000, 1), new Dictionary<string, string>(), 1);

    /// <summary>Media with Twilio sequence number <paramref name="sequenceNumber"/> and a payload that names it.</summary>
    public static InboundMedia Media(long sequenceNumber)
        => new(sequenceNumber, "inbound", sequenceNumber, sequenceNumber * 20, Enumerable.Repeat((byte)sequenceNumber, 160).ToArray());

    /// <summary>Media events with delivery numbers <paramref name="from"/>..<paramref name="through"/>; the Twilio sequence
    /// number is the delivery number plus one (start was 1).</summary>
    public static InboundBatch MediaBatch(string socketId, long from, long through)
        => new(socketId, [.. Enumerable.Range((int)from, (int)(through - from + 1)).Select(n => new InboundEvent(n, InboundKind.Media, Media(n + 1), null, null))]);

    public static InboundBatch MarkBatch(string socketId, long delivery, long sequenceNumber, string name)
        => new(socketId, [new InboundEvent(delivery, InboundKind.Mark, null, new MarkEcho(sequenceNumber, name), null)]);

    /// <summary>An empty batch: a grain call queued behind any turn in progress (a timer tick), changing nothing.</summary>
    public static InboundBatch Nothing(string socketId) => new(socketId, []);
}
