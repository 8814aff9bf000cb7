using Switchboard.Runtime;
using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Grains.Tests.Serialization;

/// <summary>Every message record and enum of Grains.Abstractions survives its generated codec.</summary>
public sealed class AbstractionsCodecTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public void Records_SchemaMismatch_ThrowsCodecException()
    {
        // Presence 1 with a field count of 2: MarkEcho has 2 fields, StreamStart has 7.
        Assert.Throws<CodecException>(() => Decode<StreamStart>([1, 2]));
        Assert.Throws<CodecException>(() => Decode<ConnectionSnapshot>([1, 15]));
        Assert.Throws<CodecException>(() => Decode<InboundMedia>([3]));
    }

    [Fact]
    public void Records_Truncated_ThrowCodecException()
    {
        var bytes = Encode(SampleStart());
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            Assert.Throws<CodecException>(() => new CodecReader(prefix).Read<StreamStart>());
        }
    }

    [Fact]
    public void Enums_EveryMember_RoundTrip()
    {
        AssertAllMembers<ConnectionState>();
        AssertAllMembers<ConnectionErrorCode>();
        AssertAllMembers<NodeRole>();
        AssertAllMembers<HealthStatus>();
        AssertAllMembers<OutboundKind>();
    }

    [Fact]
    public void MediaFormat_RoundTrip_Equal()
    {
        var value = new MediaFormat("audio/x-mulaw", 8000, 1);

        Assert.Equal(value, RoundTrip(value));
    }

    [Fact]
    public void StreamStart_WithCustomParameters_RoundTrip()
    {
        var value = SampleStart();

        var read = RoundTrip(value);

        Assert.Equal(value.StreamSid, read.StreamSid);
        Assert.Equal(value.AccountSid, read.AccountSid);
        Assert.Equal(value.CallSid, read.CallSid);
        Assert.Equal(value.Tracks, read.Tracks);
        Assert.Equal(value.MediaFormat, read.MediaFormat);
        Assert.Equal(value.CustomParameters.OrderBy(p => p.Key), read.CustomParameters.OrderBy(p => p.Key));
        Assert.Equal(value.SequenceNumber, read.SequenceNumber);
    }

    [Fact]
    public void StreamStart_EmptyCollections_RoundTrip()
    {
        var value = SampleStart() with { Tracks = [], CustomParameters = new Dictionary<string, string>() };

        var read = RoundTrip(value);

        Assert.Empty(read.Tracks);
        Assert.Empty(read.CustomParameters);
    }

    [Fact]
    public void InboundMedia_160BytePayload_RoundTrip()
    {
        var payload = Enumerable.Range(0, 160).Select(i => (byte)(0xFF - i)).ToArray();
        var value = new InboundMedia(long.MaxValue, "inbound", 42, 840, payload);

        var read = RoundTrip(value);

        Assert.Equal(value.SequenceNumber, read.SequenceNumber);
        Assert.Equal(value.Track, read.Track);
        Assert.Equal(value.Chunk, read.Chunk);
        Assert.Equal(value.TimestampMs, read.TimestampMs);
        Assert.Equal(payload, read.Payload);
        Assert.NotSame(payload, read.Payload);
    }

    [Fact]
    public void SmallEvents_RoundTrip_Equal()
    {
        Assert.Equal(new MarkEcho(7, "greeting-end"), RoundTrip(new MarkEcho(7, "greeting-end")));
        Assert.Equal(new DtmfEvent(8, "#"), RoundTrip(new DtmfEvent(8, "#")));
        Assert.Equal(new StreamStop(9, "AC1", "CA1"), RoundTrip(new StreamStop(9, "AC1", "CA1")));
        Assert.Equal(new SocketClosure(1006, "abnormal"), RoundTrip(new SocketClosure(1006, "abnormal")));
        Assert.Equal(new SocketClosure(null, "connection reset"), RoundTrip(new SocketClosure(null, "connection reset")));
        Assert.Equal(new CloseInstruction(1008, "policy: rate limit", ConnectionErrorCode.RateLimit),
            RoundTrip(new CloseInstruction(1008, "policy: rate limit", ConnectionErrorCode.RateLimit)));
        Assert.Equal(new AttachResult(true, ConnectionState.Connected, null), RoundTrip(new AttachResult(true, ConnectionState.Connected, null)));
        Assert.Equal(new AttachResult(false, ConnectionState.Failed, "duplicate socket"), RoundTrip(new AttachResult(false, ConnectionState.Failed, "duplicate socket")));
        Assert.Equal(new EnqueueResult(true, 1234.5, null), RoundTrip(new EnqueueResult(true, 1234.5, null)));
        Assert.Equal(new EnqueueResult(false, 0, "queue full"), RoundTrip(new EnqueueResult(false, 0, "queue full")));
    }

    [Fact]
    public void OutboundFrame_MediaMarkAndClear_RoundTrip()
    {
        var media = new OutboundFrame(OutboundKind.Media, [0x7F, 0xFF, 0x00], null);
        var mark = new OutboundFrame(OutboundKind.Mark, null, "m-1");
        var clear = new OutboundFrame(OutboundKind.Clear, null, null);

        var readMedia = RoundTrip(media);

        Assert.Equal(OutboundKind.Media, readMedia.Kind);
        Assert.Equal(media.Payload, readMedia.Payload);
        Assert.Null(readMedia.MarkName);
        Assert.Equal(mark, RoundTrip(mark));
        Assert.Equal(clear, RoundTrip(clear));
    }

    [Fact]
    public void ConnectionSnapshot_AllFieldsIncludingNulls_RoundTrip()
    {
        var full = new ConnectionSnapshot("MZ1", "CA1", ConnectionState.Reconnecting, ConnectionErrorCode.NetworkFailure,
            1000, 999, 2, 3, 4, 5, 60.5, 6, 7, 8, 12.25, 9);
        var sparse = full with { CallSid = null, LastRoundTripMs = null, State = ConnectionState.Connecting, Error = ConnectionErrorCode.None };

        Assert.Equal(full, RoundTrip(full));
        Assert.Equal(sparse, RoundTrip(sparse));
    }

    [Fact]
    public void NodeReport_LatencySamples_RoundTrip()
    {
        var value = new NodeReport("gateway-1#3", NodeRole.Gateway, Start, Start.AddMinutes(5), 12, [1.5, 2.25, 100]);

        var read = RoundTrip(value);

        Assert.Equal(value.NodeId, read.NodeId);
        Assert.Equal(value.Role, read.Role);
        Assert.Equal(value.StartedAt, read.StartedAt);
        Assert.Equal(value.StartedAt.Offset, read.StartedAt.Offset);
        Assert.Equal(value.SentAt, read.SentAt);
        Assert.Equal(value.Connections, read.Connections);
        Assert.Equal(value.LatencySamplesMs, read.LatencySamplesMs);
    }

    [Fact]
    public void HealthRecords_NestedLists_RoundTrip()
    {
        var node = new NodeHealth("silo-1#1", NodeRole.Silo, 4, Start, Silent: false);
        var point = new HealthHistoryPoint(Start, HealthStatus.Degraded, 3, 250.5);
        var snapshot = new HealthSnapshot(HealthStatus.Degraded, 3600.5, 7, 20, 250.5,
            ["latency over threshold", "silo-2 silent"], [node, node with { NodeId = "gw-1#1", Role = NodeRole.Gateway, Silent = true }], [point]);

        var read = RoundTrip(snapshot);

        Assert.Equal(node, RoundTrip(node));
        Assert.Equal(point, RoundTrip(point));
        Assert.Equal(snapshot.Status, read.Status);
        Assert.Equal(snapshot.UptimeSeconds, read.UptimeSeconds);
        Assert.Equal(snapshot.Connections, read.Connections);
        Assert.Equal(snapshot.LatencyP50Ms, read.LatencyP50Ms);
        Assert.Equal(snapshot.LatencyP99Ms, read.LatencyP99Ms);
        Assert.Equal(snapshot.Reasons, read.Reasons);
        Assert.Equal(snapshot.Nodes, read.Nodes);
        Assert.Equal(snapshot.History, read.History);
    }

    [Fact]
    public void Records_Null_RoundTrip()
    {
        Assert.Null(RoundTrip<StreamStart?>(null));
        Assert.Null(RoundTrip<HealthSnapshot?>(null));
    }

    [Fact]
    public void GrainInterfaces_Registered_WithGrainTypesAndFlags()
    {
        var connection = GrainInterfaceRegistry.Get(typeof(IConnectionGrain));
        var health = GrainInterfaceRegistry.Get(typeof(IHealthGrain));
        var observer = GrainInterfaceRegistry.Get(typeof(IConnectionObserver));

        Assert.Equal("connection", connection.GrainType);
        Assert.Equal("health", health.GrainType);
        Assert.True(observer.IsObserver);
        Assert.Equal("Start", connection.Invoker.GetMethodName(0));
        Assert.Equal(InvocationFlags.OneWay, connection.Invoker.GetFlags(1));
        Assert.Equal(InvocationFlags.AlwaysInterleave, connection.Invoker.GetFlags(10));
        Assert.Equal("GetSnapshot", connection.Invoker.GetMethodName(10));
        Assert.Throws<CodecException>(() => connection.Invoker.GetFlags(11));
        Assert.Equal(InvocationFlags.OneWay, observer.Invoker.GetFlags(0));
    }

    private static StreamStart SampleStart() => new(
        "MZ18ad3ab5a668481ce02b83e7395059f0",
        "AC25e16e9a716a4a1786a7c83f58e30482",
        "CA8a4e7bfa2e5b4c7a2e0c8e6c5b5f0b6d",
        ["inbound", "outbound"],
        new MediaFormat("audio/x-mulaw", 8000, 1),
        new Dictionary<string, string> { ["tenant"] = "acme", ["lang"] = "hu-HU", ["note"] = "ünïcødé ✓" },
        1);

    private static void AssertAllMembers<T>()
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            Assert.Equal(value, RoundTrip(value));
        }
    }

    private static byte[] Encode<T>(T value)
    {
        using var writer = new CodecWriter();
        writer.Write(value);
        return writer.ToArray();
    }

    private static T Decode<T>(byte[] bytes)
    {
        var reader = new CodecReader(bytes);
        var value = reader.Read<T>();
        Assert.Equal(0, reader.Remaining);
        return value;
    }

    private static T RoundTrip<T>(T value) => Decode<T>(Encode(value));
}
