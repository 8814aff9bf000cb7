using Microsoft.Extensions.Time.Testing;
using Switchboard.Gateway.MediaStreams;

namespace Switchboard.Gateway.Tests.MediaStreams;

public class PingTimingStreamTests
{
    // Masked client PONG with a 2-byte payload: FIN|0xA, MASK|2, 4-byte key, 2 masked bytes.
    private static readonly byte[] ClientPong = [0x8A, 0x82, 0x01, 0x02, 0x03, 0x04, 0x10, 0x20];

    // Masked client text frame of 126 bytes: FIN|0x1, MASK|126, 16-bit length 0x007E, key, payload.
    private static byte[] ClientText126()
    {
        var frame = new byte[2 + 2 + 4 + 126];
        frame[0] = 0x81;
        frame[1] = 0x80 | 126;
        frame[2] = 0x00;
        frame[3] = 126;
        // Payload bytes that look like PONG headers must not be mistaken for frames.
        frame.AsSpan(8).Fill(0x8A);
        return frame;
    }

    [Fact]
    public async Task Pong_WithoutPing_NotReported()
    {
        var (stream, reports, _) = Create(ClientPong);

        await ReadAllAsync(stream, 3);

        Assert.Empty(reports);
    }

    [Fact]
    public async Task PingThenPong_SplitAcrossReads_ReportsElapsedFakeTime()
    {
        var incoming = ClientText126().Concat(ClientPong).ToArray();
        var (stream, reports, time) = Create(incoming);

        await stream.WriteAsync(new byte[] { 0x89, 0x08, 1, 2, 3, 4, 5, 6, 7, 8 });
        time.Advance(TimeSpan.FromMilliseconds(37));
        await ReadAllAsync(stream, 5); // 5-byte reads split both frame headers

        Assert.Equal([37.0], reports);
    }

    [Fact]
    public async Task TextFrameBeforePing_NotMistakenForPing()
    {
        var (stream, reports, time) = Create(ClientPong);

        // A server text frame whose payload starts with 0x89 bytes, then nothing else: no ping outstanding.
        await stream.WriteAsync(new byte[] { 0x81, 0x03, 0x89, 0x00, 0x89 });
        time.Advance(TimeSpan.FromMilliseconds(10));
        await ReadAllAsync(stream, 64);

        Assert.Empty(reports);
    }

    private static (PingTimingStream Stream, List<double> Reports, FakeTimeProvider Time) Create(byte[] incoming)
    {
        var time = new FakeTimeProvider();
        var monitor = new PingRoundTripMonitor();
        var reports = new List<double>();
        monitor.Subscribe(reports.Add);
        var inner = new DuplexMemoryStream(incoming);
        return (new PingTimingStream(inner, monitor, time), reports, time);
    }

    private static async Task ReadAllAsync(Stream stream, int chunk)
    {
        var buffer = new byte[chunk];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
    }

    /// <summary>Reads from a fixed byte array, swallows writes.</summary>
    private sealed class DuplexMemoryStream(byte[] incoming) : Stream
    {
        private readonly MemoryStream _read = new(incoming);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _read.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) { }
    }
}
