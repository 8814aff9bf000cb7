using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Serialization;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Health;

namespace Switchboard.Grains.Tests.Serialization;

/// <summary>Every message record and enum of Grains.Abstractions survives Orleans' serializer (the generated codecs
/// grain calls use between silos, and between a silo and the gateway).</summary>
public sealed class OrleansSerializationTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(1));
    private readonly ServiceProvider _services = NewSerializerServices();

    private Serializer Serializer => _services.GetRequiredService<Serializer>();

    [Fact]
    public void StreamStart_Truncated_Throws()
    {
        var bytes = Serializer.SerializeToArray(SampleStart());

        for (var length = 1; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            Assert.ThrowsAny<Exception>(() => Serializer.Deserialize<StreamStart>(prefix));
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
        AssertAllMembers<InboundKind>();
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

        AssertSameStart(value, read);
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

        Assert.Equal((value.SequenceNumber, value.Track, value.Chunk, value.TimestampMs), (read.SequenceNumber, read.Track, read.Chunk, read.TimestampMs));
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
        Assert.Equal(new DeliveryAck(long.MaxValue, true), RoundTrip(new DeliveryAck(long.MaxValue, true)));
        Assert.Equal(new DeliveryAck(0, false), RoundTrip(new DeliveryAck(0, false)));
        Assert.Equal(new SiloMembership("S127.0.0.1:11111:123", "silo-1", "Active"), RoundTrip(new SiloMembership("S127.0.0.1:11111:123", "silo-1", "Active")));
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
    public void InboundBatch_EveryKind_RoundTripInOrder()
    {
        var value = new InboundBatch("socket-7",
        [
            new InboundEvent(1, InboundKind.Media, new InboundMedia(2, "inbound", 1, 0, [1, 2, 3]), null, null),
            new InboundEvent(2, InboundKind.Mark, null, new MarkEcho(3, "echo-1"), null),
            new InboundEvent(3, InboundKind.Dtmf, null, null, new DtmfEvent(4, "9")),
        ]);

        var read = RoundTrip(value);

        Assert.Equal(value.SocketId, read.SocketId);
        Assert.Equal(value.Events.Select(e => (e.Delivery, e.Kind)), read.Events.Select(e => (e.Delivery, e.Kind)));
        var media = read.Events[0].Media!;
        Assert.Equal(new byte[] { 1, 2, 3 }, media.Payload);
        Assert.Equal((2L, "inbound", 1L, 0L), (media.SequenceNumber, media.Track, media.Chunk, media.TimestampMs));
        Assert.Equal(value.Events[1], read.Events[1]);
        Assert.Equal(value.Events[2], read.Events[2]);
        Assert.Empty(RoundTrip(new InboundBatch("s", [])).Events);
    }

    [Fact]
    public void OutboundBatch_FramesCloseAndWatermark_RoundTrip()
    {
        var close = new CloseInstruction(1000, "stream stopped", ConnectionErrorCode.None);
        var value = new OutboundBatch(long.MinValue + 3, 42,
            [new OutboundFrame(OutboundKind.Media, [9, 8], null), new OutboundFrame(OutboundKind.Mark, null, "echo-4")], close, 17);

        var read = RoundTrip(value);

        Assert.Equal((value.Epoch, value.Sequence, value.InboundWatermark, close), (read.Epoch, read.Sequence, read.InboundWatermark, read.Close));
        Assert.Equal(new byte[] { 9, 8 }, read.Frames[0].Payload);
        Assert.Equal(value.Frames[1], read.Frames[1]);
        Assert.Null(RoundTrip(new OutboundBatch(1, 1, [], null)).Close);
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

        Assert.Equal((value.NodeId, value.Role, value.StartedAt, value.StartedAt.Offset, value.SentAt, value.Connections),
            (read.NodeId, read.Role, read.StartedAt, read.StartedAt.Offset, read.SentAt, read.Connections));
        Assert.Equal(value.LatencySamplesMs, read.LatencySamplesMs);
    }

    [Fact]
    public void HealthSnapshot_NestedListsSilosAndMembershipVersion_RoundTrip()
    {
        var node = new NodeHealth("silo-1#1", NodeRole.Silo, 4, Start, Silent: false);
        var point = new HealthHistoryPoint(Start, HealthStatus.Degraded, 3, 250.5);
        var silos = new[] { new SiloMembership("S127.0.0.1:11111:1", "silo-1", "Active"), new SiloMembership("S127.0.0.1:11112:2", "silo-2", "ShuttingDown") };
        var snapshot = new HealthSnapshot(HealthStatus.Degraded, 3600.5, 7, 20, 250.5,
            ["latency over threshold", "silo-2 silent"], [node, node with { NodeId = "gw-1#1", Role = NodeRole.Gateway, Silent = true }], [point])
        {
            Silos = silos,
            MembershipVersion = 12,
        };

        var read = RoundTrip(snapshot);

        Assert.Equal(node, RoundTrip(node));
        Assert.Equal(point, RoundTrip(point));
        Assert.Equal((snapshot.Status, snapshot.UptimeSeconds, snapshot.Connections, snapshot.LatencyP50Ms, snapshot.LatencyP99Ms, 12L),
            (read.Status, read.UptimeSeconds, read.Connections, read.LatencyP50Ms, read.LatencyP99Ms, read.MembershipVersion));
        Assert.Equal(snapshot.Reasons, read.Reasons);
        Assert.Equal(snapshot.Nodes, read.Nodes);
        Assert.Equal(snapshot.History, read.History);
        Assert.Equal(silos, read.Silos);
    }

    [Fact]
    public void Records_Null_RoundTrip()
    {
        Assert.Null(RoundTrip<StreamStart?>(null));
        Assert.Null(RoundTrip<HealthSnapshot?>(null));
        Assert.Null(RoundTrip<OutboundBatch?>(null));
    }

    [Fact]
    public void GrainContracts_GrainTypesAndCallFlags_AsTheGatewayExpects()
    {
        Assert.NotNull(typeof(ConnectionGrain).GetCustomAttribute<GrainTypeAttribute>());
        Assert.Equal("connection", ConnectionGrain.GrainTypeName);
        Assert.NotNull(typeof(HealthGrain).GetCustomAttribute<GrainTypeAttribute>());
        Assert.True(typeof(IGrainObserver).IsAssignableFrom(typeof(IConnectionObserver)));

        // Only the round-trip sample and the health report may be lost; everything carrying the call is awaited.
        Assert.Equal(["ReportRoundTrip"], OneWay(typeof(IConnectionGrain)));
        Assert.Equal(["Report"], OneWay(typeof(IHealthGrain)));
        Assert.Empty(OneWay(typeof(IConnectionObserver)));
        Assert.NotNull(typeof(IConnectionGrain).GetMethod(nameof(IConnectionGrain.GetSnapshot))!.GetCustomAttribute<AlwaysInterleaveAttribute>());
        Assert.Null(typeof(IConnectionGrain).GetMethod(nameof(IConnectionGrain.Deliver))!.GetCustomAttribute<AlwaysInterleaveAttribute>());
    }

    public void Dispose() => _services.Dispose();

    internal static ServiceProvider NewSerializerServices() => new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(StreamStart).Assembly).AddAssembly(typeof(ConnectionCheckpoint).Assembly))
        .BuildServiceProvider();

    internal static StreamStart SampleStart() => new(
        "MZ18ad3ab5a668481ce02b83e7395059f0",
        "AC25e16e9a716a4a1786a7c83f58e30482",
        "CA8a4e7bfa2e5b4c7a2e0c8e6c5b5f0b6d",
        ["inbound", "outbound"],
        new MediaFormat("audio/x-mulaw", 8000, 1),
        new Dictionary<string, string> { ["tenant"] = "acme", ["lang"] = "hu-HU", ["note"] = "ünïcødé ✓" },
        1);

    internal static void AssertSameStart(StreamStart expected, StreamStart actual)
    {
        Assert.Equal((expected.StreamSid, expected.AccountSid, expected.CallSid, expected.MediaFormat, expected.SequenceNumber),
            (actual.StreamSid, actual.AccountSid, actual.CallSid, actual.MediaFormat, actual.SequenceNumber));
        Assert.Equal(expected.Tracks, actual.Tracks);
        Assert.Equal(expected.CustomParameters.OrderBy(p => p.Key), actual.CustomParameters.OrderBy(p => p.Key));
    }

    private static string[] OneWay(Type grainInterface)
        => [.. grainInterface.GetMethods().Where(m => m.GetCustomAttribute<OneWayAttribute>() is not null).Select(m => m.Name).Order(StringComparer.Ordinal)];

    private void AssertAllMembers<T>()
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            Assert.Equal(value, RoundTrip(value));
        }
    }

    private T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;
}
