using Switchboard.Grains.Connection;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Grains.Tests.Serialization;

/// <summary>The checkpoint's generated codec (the observer reference itself is covered on the runtime, where it can be rebuilt).</summary>
public sealed class ConnectionCheckpointCodecTests
{
    [Fact]
    public void Checkpoint_Truncated_ThrowsCodecException()
    {
        var bytes = Encode(Sample());

        for (var length = 0; length < bytes.Length; length += 7)
        {
            var prefix = bytes[..length];
            Assert.Throws<CodecException>(() => new CodecReader(prefix).Read<ConnectionCheckpoint>());
        }
    }

    [Fact]
    public void Checkpoint_AllFields_RoundTrip()
    {
        var value = Sample();

        var read = new CodecReader(Encode(value)).Read<ConnectionCheckpoint>();

        Assert.Equal(value.Start.StreamSid, read.Start.StreamSid);
        Assert.Equal(value.Start.CustomParameters, read.Start.CustomParameters);
        Assert.Equal(value.SequenceWindow, read.SequenceWindow);
        Assert.Equal(value.PendingMarks, read.PendingMarks);
        // Every remaining field: equal once the collections are the same instances.
        Assert.Equal(value, read with { Start = value.Start, SequenceWindow = value.SequenceWindow, PendingMarks = value.PendingMarks });
        Assert.Equal(Encode(value), Encode(read));
    }

    [Fact]
    public void Checkpoint_TypicalCall_FitsInAFewHundredBytes()
    {
        var size = Encode(Sample()).Length;

        Assert.InRange(size, 1, 600);
    }

    private static byte[] Encode(ConnectionCheckpoint value)
    {
        using var writer = new CodecWriter();
        writer.Write(value);
        return writer.ToArray();
    }

    private static ConnectionCheckpoint Sample()
    {
        var start = new StreamStart("MZ18ad3ab5a668481ce02b83e7395059f0", "AC25e16e9a716a4a1786a7c83f58e30482", "CA1a2b3c",
            ["inbound", "outbound"], new MediaFormat("audio/x-mulaw", 8000, 1), new Dictionary<string, string> { ["tenant"] = "acme" }, 1);
        var window = new ulong[16];
        window[0] = ulong.MaxValue - 5;
        window[15] = 1UL << 63;
        return new ConnectionCheckpoint(start, null, "gateway-1", ConnectionState.Failed, ConnectionErrorCode.RateLimit,
            new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 8, 5, 0, TimeSpan.Zero),
            1, 15_000, 3, 4, 5, 6, 7, window, [new ConnectionCheckpointMark("echo-7", false), new ConnectionCheckpointMark("echo-8", true)],
            14_990, 12, 2, 1, 3, 9, 4, 300, 20, 2, 1, 5, 42.5);
    }
}
