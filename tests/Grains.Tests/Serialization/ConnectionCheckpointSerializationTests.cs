using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using Switchboard.Grains.Connection;

namespace Switchboard.Grains.Tests.Serialization;

/// <summary>The grain state <see cref="ConnectionCheckpointState"/> in the forms it is stored and moved in: System.Text.Json
/// (the cluster mode's grain storage serializer) and Orleans' serializer (the embedded memory storage, migration).</summary>
public sealed class ConnectionCheckpointSerializationTests
{
    [Fact]
    public void Json_StoredForm_HasNoTypeNamesAndNamesTheFieldsThatMustNotBeRenamed()
    {
        var json = JsonSerializer.Serialize(new ConnectionCheckpointState { Checkpoint = Sample() });

        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        foreach (var name in new[] { "\"Checkpoint\"", "\"ObserverId\"", "\"SocketId\"", "\"DeliveredThrough\"", "\"AppliedThrough\"", "\"SequenceWindow\"", "\"CustomParameters\"" })
        {
            Assert.Contains(name, json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Json_DefaultOptions_AllFieldsRoundTrip()
    {
        var value = new ConnectionCheckpointState { Checkpoint = Sample() };

        var read = JsonSerializer.Deserialize<ConnectionCheckpointState>(JsonSerializer.Serialize(value));

        AssertSameCheckpoint(value.Checkpoint, read?.Checkpoint);
    }

    [Fact]
    public void Json_OrleansGrainStorageSerializer_AllFieldsRoundTrip()
    {
        var serializer = new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions()));
        var value = new ConnectionCheckpointState { Checkpoint = Sample() };

        var read = serializer.Deserialize<ConnectionCheckpointState>(serializer.Serialize(value));

        AssertSameCheckpoint(value.Checkpoint, read?.Checkpoint);
    }

    [Fact]
    public void Json_EmptyState_RoundTripsAsNoCheckpoint()
    {
        var read = JsonSerializer.Deserialize<ConnectionCheckpointState>(JsonSerializer.Serialize(new ConnectionCheckpointState()));

        Assert.NotNull(read);
        Assert.Null(read.Checkpoint);
    }

    [Fact]
    public void Orleans_AllFieldsRoundTrip()
    {
        using var services = OrleansSerializationTests.NewSerializerServices();
        var serializer = services.GetRequiredService<Serializer>();
        var value = new ConnectionCheckpointState { Checkpoint = Sample() };

        var read = serializer.Deserialize<ConnectionCheckpointState>(serializer.SerializeToArray(value));

        AssertSameCheckpoint(value.Checkpoint, read?.Checkpoint);
        Assert.Null(serializer.Deserialize<ConnectionCheckpointState>(serializer.SerializeToArray(new ConnectionCheckpointState()))?.Checkpoint);
    }

    private static void AssertSameCheckpoint(ConnectionCheckpoint? expected, ConnectionCheckpoint? actual)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        OrleansSerializationTests.AssertSameStart(expected.Start, actual.Start);
        Assert.Equal(expected.SequenceWindow, actual.SequenceWindow);
        Assert.Equal(expected.PendingMarks, actual.PendingMarks);

        // Every remaining field: equal once the collections are the same instances.
        Assert.Equal(expected, actual with { Start = expected.Start, SequenceWindow = expected.SequenceWindow, PendingMarks = expected.PendingMarks });
    }

    private static ConnectionCheckpoint Sample()
    {
        var start = OrleansSerializationTests.SampleStart();
        var window = new ulong[16];
        window[0] = ulong.MaxValue - 5;
        window[7] = 0x8000_0000_0000_0001;
        window[15] = 1UL << 63;

        // Every field set, and set to a value unlike its neighbours', so a swapped or dropped field shows.
        return new ConnectionCheckpoint(start, "sys.client/hosted-client-7+abc", "gateway-1", ConnectionState.Failed, ConnectionErrorCode.RateLimit,
            new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2026, 11, 23, 8, 5, 0, TimeSpan.Zero),
            1, 15_000, 3, 4, 5, 6, 7, window, [new ConnectionCheckpointMark("echo-7", false), new ConnectionCheckpointMark("echo-8", true)],
            14_990, 12, 2, 3, 9, 4, 300, 20, 2, 1, 5, 42.5, "socket-42", 1_234, 1_240, "203.0.113.7");
    }
}
