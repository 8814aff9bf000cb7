using Switchboard.Runtime.Serialization;

namespace Switchboard.Grains.Tests.Serialization;

/// <summary>Every message type in Grains.Abstractions survives the runtime codec unchanged.</summary>
public sealed class AbstractionsCodecTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 160).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public void Read_StreamStartWithMissingRequiredField_ThrowsCodecException()
    {
        using var writer = new CodecWriter();
        writer.WriteByte(1);
        writer.WriteVarUInt32(7);
        writer.WriteString(null); // StreamSid is required.

        Assert.Throws<CodecException>(() => new CodecReader(writer.ToArray()).Read<StreamStart>());
    }

    [Fact]
    public void RoundTrip_StreamStart_PreservesMetadata()
    {
        var start = new StreamStart(
            "MZ18ad3ab5a668481ce02b83e7395059f0", "AC0123456789abcdef0123456789abcdef", "CA9f2c1e0d3b4a59687f0e1d2c3b4a5968",
            ["inbound"], new MediaFormat("audio/x-mulaw", 8000, 1), new Dictionary<string, string> { ["sessionId"] = "s_42" }, 1);

        var copy = RoundTrip(start);

        Assert.Equal(start.StreamSid, copy.StreamSid);
        Assert.Equal(start.AccountSid, copy.AccountSid);
        Assert.Equal(start.CallSid, copy.CallSid);
        Assert.Equal(start.Tracks, copy.Tracks);
        Assert.Equal(start.MediaFormat, copy.MediaFormat);
        Assert.Equal(start.CustomParameters, copy.CustomParameters);
        Assert.Equal(start.SequenceNumber, copy.SequenceNumber);
    }

    [Fact]
    public void RoundTrip_InboundAndControlMessages_PreserveFields()
    {
        var media = RoundTrip(new InboundMedia(2, "inbound", 1, 20, Payload));
        Assert.Equal((2L, "inbound", 1L, 20L), (media.SequenceNumber, media.Track, media.Chunk, media.TimestampMs));
        Assert.Equal(Payload, media.Payload);

        Assert.Equal(new MarkEcho(88, "utt-3"), RoundTrip(new MarkEcho(88, "utt-3")));
        Assert.Equal(new DtmfEvent(57, "5"), RoundTrip(new DtmfEvent(57, "5")));
        Assert.Equal(new StreamStop(912, "AC1", "CA1"), RoundTrip(new StreamStop(912, "AC1", "CA1")));
        Assert.Equal(new SocketClosure(1001, "going away"), RoundTrip(new SocketClosure(1001, "going away")));
        Assert.Equal(new SocketClosure(null, "reset"), RoundTrip(new SocketClosure(null, "reset")));
        Assert.Equal(new CloseInstruction(1008, "rate", ConnectionErrorCode.RateLimit), RoundTrip(new CloseInstruction(1008, "rate", ConnectionErrorCode.RateLimit)));
        Assert.Equal(new AttachResult(false, ConnectionState.Failed, "ended"), RoundTrip(new AttachResult(false, ConnectionState.Failed, "ended")));
        Assert.Equal(new AttachResult(true, ConnectionState.Connected, null), RoundTrip(new AttachResult(true, ConnectionState.Connected, null)));
        Assert.Equal(new EnqueueResult(true, 120.5, null), RoundTrip(new EnqueueResult(true, 120.5, null)));
    }

    [Fact]
    public void RoundTrip_OutboundFrames_PreserveKindPayloadAndName()
    {
        var media = RoundTrip(new OutboundFrame(OutboundKind.Media, Payload, null));
        Assert.Equal(OutboundKind.Media, media.Kind);
        Assert.Equal(Payload, media.Payload);
        Assert.Null(media.MarkName);

        Assert.Equal(new OutboundFrame(OutboundKind.Mark, null, "echo-1"), RoundTrip(new OutboundFrame(OutboundKind.Mark, null, "echo-1")));
        Assert.Equal(new OutboundFrame(OutboundKind.Clear, null, null), RoundTrip(new OutboundFrame(OutboundKind.Clear, null, null)));
    }

    [Fact]
    public void RoundTrip_ConnectionSnapshot_PreservesCounters()
    {
        var snapshot = new ConnectionSnapshot("MZ1", "CA1", ConnectionState.Reconnecting, ConnectionErrorCode.NetworkFailure,
            1000, 1002, 3, 2, 1, 4, 250.5, 10, 2, 1, 12.5, 6);

        Assert.Equal(snapshot, RoundTrip(snapshot));
        Assert.Equal(snapshot with { CallSid = null, LastRoundTripMs = null }, RoundTrip(snapshot with { CallSid = null, LastRoundTripMs = null }));
    }

    [Fact]
    public void RoundTrip_HealthTypes_PreserveFields()
    {
        var now = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var report = RoundTrip(new NodeReport("gw-1", NodeRole.Gateway, now.AddMinutes(-5), now, 12, [1.5, 250]));
        Assert.Equal(("gw-1", NodeRole.Gateway, now.AddMinutes(-5), now, 12), (report.NodeId, report.Role, report.StartedAt, report.SentAt, report.Connections));
        Assert.Equal(new[] { 1.5, 250 }, report.LatencySamplesMs);

        var snapshot = new HealthSnapshot(HealthStatus.Degraded, 300, 12, 3.5, 250, ["p99 latency 250 ms > 200 ms"],
            [new NodeHealth("gw-1", NodeRole.Gateway, 12, now, false), new NodeHealth("silo-1", NodeRole.Silo, 12, now, true)],
            [new HealthHistoryPoint(now, HealthStatus.Healthy, 3, 10)]);
        var copy = RoundTrip(snapshot);
        Assert.Equal((snapshot.Status, snapshot.UptimeSeconds, snapshot.Connections, snapshot.LatencyP50Ms, snapshot.LatencyP99Ms),
            (copy.Status, copy.UptimeSeconds, copy.Connections, copy.LatencyP50Ms, copy.LatencyP99Ms));
        Assert.Equal(snapshot.Reasons, copy.Reasons);
        Assert.Equal(snapshot.Nodes, copy.Nodes);
        Assert.Equal(snapshot.History, copy.History);
    }

    [Theory]
    [InlineData(typeof(ConnectionState))]
    [InlineData(typeof(ConnectionErrorCode))]
    [InlineData(typeof(OutboundKind))]
    [InlineData(typeof(NodeRole))]
    [InlineData(typeof(HealthStatus))]
    public void RoundTrip_EveryEnumValue_Preserved(Type enumType)
    {
        foreach (var value in Enum.GetValues(enumType))
        {
            var roundTripped = enumType.Name switch
            {
                nameof(ConnectionState) => (object)RoundTrip((ConnectionState)value),
                nameof(ConnectionErrorCode) => RoundTrip((ConnectionErrorCode)value),
                nameof(OutboundKind) => RoundTrip((OutboundKind)value),
                nameof(NodeRole) => RoundTrip((NodeRole)value),
                _ => RoundTrip((HealthStatus)value),
            };
            Assert.Equal(value, roundTripped);
        }
    }

    private static T RoundTrip<T>(T value)
    {
        using var writer = new CodecWriter();
        writer.Write(value);
        var reader = new CodecReader(writer.ToArray());
        var copy = reader.Read<T>();
        Assert.Equal(0, reader.Remaining);
        return copy;
    }
}
