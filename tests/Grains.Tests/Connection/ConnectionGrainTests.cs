using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Tests.Fakes;
using Switchboard.Grains.Tests.Hosting;
using Switchboard.TestInfrastructure;
using static Switchboard.Grains.Tests.Hosting.GrainCallHelpers;

namespace Switchboard.Grains.Tests.Connection;

/// <summary>
/// The connection grain on a real Orleans silo (generated proxies and codecs, turns, grain timers on fake time, an
/// observer on the cluster client) with Orleans' memory storage, as the embedded silo runs it.
/// </summary>
public sealed class ConnectionGrainTests(MemoryStorageSiloFixture fixture) : IClassFixture<MemoryStorageSiloFixture>
{
    private readonly GrainCluster _cluster = fixture.Cluster;

    // Orleans holds observers weakly: the test holds them for as long as it runs.
    private readonly List<RecordingObserver> _held = [];

    // ---- failure cases ----

    [Fact]
    public async Task Start_AfterTheCallEnded_RefusedAndTheLateObserverGetsNothing()
    {
        var (grain, observer, _) = await StartedAsync();
        await grain.Stop(new StreamStop(2, "AC1", "CA1"));
        await TestWait.UntilAsync(() => observer.Closes.Count == 1, "the stop's close at the first observer", () => $"{observer.Closes.Count} closes");
        var late = Observer(out var lateReference);

        var result = await grain.Start(StartOf(grain.GetPrimaryKeyString()), lateReference, "gw-2", late.SocketId);

        Assert.Equal((false, ConnectionState.Disconnected), (result.Accepted, result.State));
        Assert.Empty(late.Attempts);
    }

    [Fact]
    public async Task Start_AnotherStreamOfALiveCall_RefusedAsLiveNamingTheHolderAndTheLiveStreamUntouched()
    {
        var (grain, observer, _) = await StartedAsync("203.0.113.7");
        var callSid = StartOf(grain.GetPrimaryKeyString()).CallSid;
        var otherSid = NewStreamSid();
        var other = _cluster.Client.GetGrain<IConnectionGrain>(otherSid);
        var stranger = Observer(out var strangerReference);

        var result = await other.Start(StartOf(otherSid) with { CallSid = callSid }, strangerReference, "gw-2", stranger.SocketId, "198.51.100.9");

        Assert.False(result.Accepted);
        Assert.Equal(StartRefusal.StreamLive, result.Refusal);
        Assert.Equal("203.0.113.7", result.HolderRemoteAddress);
        Assert.Equal(ConnectionState.Connecting, (await other.GetSnapshot()).State);
        Assert.Equal(ConnectionState.Connected, (await grain.GetSnapshot()).State);
        Assert.Empty(stranger.Attempts);
        Assert.Empty(observer.Closes);
    }

    [Fact]
    public async Task Start_AnotherStreamAfterTheCallsStreamEnded_Accepted()
    {
        var (grain, _, _) = await StartedAsync();
        var callSid = StartOf(grain.GetPrimaryKeyString()).CallSid;
        await grain.Stop(new StreamStop(2, "AC1", callSid));
        var nextSid = NewStreamSid();
        var next = Observer(out var nextReference);

        var result = await _cluster.Client.GetGrain<IConnectionGrain>(nextSid).Start(StartOf(nextSid) with { CallSid = callSid }, nextReference, "gw-1", next.SocketId);

        Assert.True(result.Accepted, result.Reason);
        Assert.Equal(ConnectionState.Connected, (await _cluster.Client.GetGrain<IConnectionGrain>(nextSid).GetSnapshot()).State);
    }

    [Fact]
    public async Task Write_AnotherWriterWroteTheCheckpoint_DuplicateStepsDownAndDeactivatesWithoutOverwritingIt()
    {
        var (grain, observer, _) = await StartedAsync();
        var storage = _cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(ConnectionGrain.StorageName);

        // A second activation (after a directory race) writes the record: the ETag this activation holds is now stale.
        var other = new GrainState<ConnectionCheckpointState>();
        await storage.ReadStateAsync(ConnectionGrain.StateName, grain.GetGrainId(), other);
        Assert.True(other.RecordExists, "the start's checkpoint in the memory storage");
        await storage.WriteStateAsync(ConnectionGrain.StateName, grain.GetGrainId(), other);
        var deactivated = _cluster.Cluster.WaitForDeactivationAsync(grain);

        await grain.Stop(new StreamStop(2, "AC1", "CA1"));

        await TestWait.CompletesAsync(deactivated, $"the duplicate activation of {grain.GetPrimaryKeyString()} deactivating after its write conflict");
        Assert.Equal(1, _cluster.Logs.Count(3402, grain.GetPrimaryKeyString()));
        var stored = new GrainState<ConnectionCheckpointState>();
        await storage.ReadStateAsync(ConnectionGrain.StateName, grain.GetGrainId(), stored);
        Assert.Equal(other.ETag, stored.ETag);
        Assert.Equal(ConnectionState.Connected, stored.State?.Checkpoint?.State);

        // The next call goes to a new activation, which continues from the other writer's record.
        Assert.Equal(ConnectionState.Connected, (await grain.GetSnapshot()).State);
        Assert.True((await grain.Deliver(MediaBatch(observer.SocketId, 1, 1))).Attached);
    }

    // ---- normal operation ----

    [Fact]
    public async Task Deliver_EchoApplication_AudioReturnsToTheObserverInOrderWithMarksThenTheClose()
    {
        var (grain, observer, _) = await StartedAsync();
        var sent = Enumerable.Range(2, 10).SelectMany(n => Media(n).Payload).ToArray();

        foreach (var (from, through) in new[] { (1L, 3L), (4L, 6L), (7L, 10L) })
        {
            var ack = await grain.Deliver(MediaBatch(observer.SocketId, from, through));
            Assert.True(ack.Attached);
            Assert.InRange(ack.DeliveredThrough, 0, through);
        }

        await grain.Stop(new StreamStop(12, "AC1", "CA1"));
        await TestWait.UntilAsync(() => observer.Closes.Count == 1, "the stop's close after the flushed echo", () => $"{observer.Calls.Count} calls");

        var frames = observer.Frames;
        var media = frames.Where(f => f.Kind == OutboundKind.Media).ToArray();
        Assert.Equal(sent, media.SelectMany(f => f.Payload!).ToArray());
        Assert.All(media.SkipLast(1), f => Assert.True(f.Payload!.Length >= EchoCallHandlerChunk, $"a chunk of {f.Payload.Length} B"));
        Assert.Equal(["echo-1", "echo-2", "echo-3", "echo-4"], observer.Marks);
        Assert.IsType<CloseInstruction>(observer.Calls[^1]);
        Assert.Equal(ConnectionSession.StoppedReason, observer.Closes[0].Reason);
        var snapshot = await grain.GetSnapshot();
        Assert.Equal((ConnectionState.Disconnected, 10L, 0L), (snapshot.State, snapshot.MediaReceived, snapshot.SequenceGaps));
    }

    [Fact]
    public async Task Deliver_RedeliveredBatch_NotAppliedTwice()
    {
        var (grain, observer, _) = await StartedAsync();
        await grain.Deliver(MediaBatch(observer.SocketId, 1, 3));

        var ack = await grain.Deliver(MediaBatch(observer.SocketId, 1, 5));

        Assert.True(ack.Attached);
        var snapshot = await grain.GetSnapshot();
        Assert.Equal((5L, 0L, 6L), (snapshot.MediaReceived, snapshot.Duplicates, snapshot.LastSequenceNumber));
    }

    [Fact]
    public async Task EnqueueAndClear_ApplicationApi_RoutesThroughTheSession()
    {
        var (grain, observer, _) = await StartedAsync();

        Assert.True((await grain.EnqueueMedia(new byte[80_000])).Accepted);
        var refused = await grain.EnqueueMedia(new byte[8]);
        Assert.True((await grain.EnqueueMark("end")).Accepted);
        await grain.Clear();
        await grain.Deliver(MarkBatch(observer.SocketId, 1, 2, "end"));

        Assert.False(refused.Accepted);
        var snapshot = await grain.GetSnapshot();
        Assert.Equal((1L, 0L, 1L), (snapshot.MarksCleared, snapshot.MarksPlayed, snapshot.OutboundRejected));
        await TestWait.UntilAsync(() => observer.Frames.Count == 3, "media, mark and clear at the observer", () => $"{observer.Frames.Count} frames");
        Assert.Equal([OutboundKind.Media, OutboundKind.Mark, OutboundKind.Clear], observer.Frames.Select(f => f.Kind));
    }

    [Fact]
    public async Task HeartbeatTimer_SilentStream_ClosesWithConnectionTimeoutThenDeactivatesAndClearsAfterRetention()
    {
        var (grain, observer, _) = await StartedAsync();

        _cluster.Time.Advance(TimeSpan.FromSeconds(9));
        await grain.Deliver(Nothing(observer.SocketId));
        Assert.Equal(ConnectionState.Connected, (await grain.GetSnapshot()).State);
        _cluster.Time.Advance(TimeSpan.FromSeconds(1));

        await TestWait.UntilAsync(() => observer.Closes.Count == 1, "the heartbeat close after 10 s of silence", () => $"{observer.Closes.Count} closes");
        Assert.Equal((1000, ConnectionErrorCode.ConnectionTimeout), (observer.Closes[0].CloseStatus, observer.Closes[0].Error));
        var snapshot = await grain.GetSnapshot();
        Assert.Equal((ConnectionState.Disconnected, ConnectionErrorCode.ConnectionTimeout), (snapshot.State, snapshot.Error));
        Assert.Equal(ConnectionState.Disconnected, (await StoredAsync(grain))?.State);

        await grain.Deliver(Nothing(observer.SocketId));
        Assert.True(_cluster.IsActive(grain), "retained after the end, for snapshots");
        var deactivated = _cluster.Cluster.WaitForDeactivationAsync(grain);
        _cluster.Time.Advance(new ConnectionGrainOptions().RetentionPeriod);

        await TestWait.CompletesAsync(deactivated, $"{grain.GetPrimaryKeyString()} deactivating once the retention period is over");
        Assert.Null(await StoredAsync(grain));
    }

    [Fact]
    public async Task Deactivate_LiveCall_NewActivationContinuesTheCallWithoutReapplyingDeliveredNumbers()
    {
        var (grain, observer, _) = await StartedAsync();

        // 9 frames of 160 B: the echo handler sends 3 chunks of 480 B, each followed by a mark (echo-1..3).
        await grain.Deliver(MediaBatch(observer.SocketId, 1, 9));
        await TestWait.UntilAsync(() => observer.Marks.Count == 3, "three echo marks at the observer", () => $"{observer.Marks.Count} marks");
        await grain.Deliver(MarkBatch(observer.SocketId, 10, 11, "echo-1"));
        var before = await grain.GetSnapshot();
        Assert.Equal((11L, 1L, 2), (before.LastSequenceNumber, before.MarksPlayed, before.PendingMarks));

        await _cluster.Cluster.DeactivateAsync(grain);
        Assert.False(_cluster.IsActive(grain));

        // The next call activates the grain again; it restores the call from the checkpoint.
        Assert.Equal(before with { BufferedOutboundMs = 0 }, await grain.GetSnapshot());
        Assert.Equal(1, _cluster.Logs.Count(3400, grain.GetPrimaryKeyString()));

        // The gateway re-delivers what it had no acknowledgement for: nothing is applied twice.
        var again = new InboundBatch(observer.SocketId, [.. MediaBatch(observer.SocketId, 1, 9).Events, .. MarkBatch(observer.SocketId, 10, 11, "echo-1").Events]);
        Assert.True((await grain.Deliver(again)).Attached);
        var afterRedelivery = await grain.GetSnapshot();
        Assert.Equal((9L, 1L, 0L, 0L), (afterRedelivery.MediaReceived, afterRedelivery.MarksPlayed, afterRedelivery.Duplicates, afterRedelivery.SequenceGaps));

        // A mark sent by the old activation is still resolved when Twilio echoes it.
        await grain.Deliver(MarkBatch(observer.SocketId, 11, 12, "echo-2"));
        var afterMark = await grain.GetSnapshot();
        Assert.Equal((2L, 1), (afterMark.MarksPlayed, afterMark.PendingMarks));

        // Outbound reaches the same observer: the application API, then the new handler's first echo chunk and mark.
        var framesBefore = observer.Frames.Count;
        Assert.True((await grain.EnqueueMedia(new byte[80])).Accepted);
        await grain.Deliver(MediaBatch(observer.SocketId, 12, 14));
        await TestWait.UntilAsync(() => observer.Frames.Count >= framesBefore + 3, "the enqueued audio and a new echo chunk with its mark",
            () => $"{observer.Frames.Count - framesBefore} new frames");
        var newFrames = observer.Frames.Skip(framesBefore).ToArray();
        Assert.Equal((80, 480, "echo-1"), (newFrames[0].Payload!.Length, newFrames[1].Payload!.Length, newFrames[2].MarkName));
        var snapshot = await grain.GetSnapshot();
        Assert.Equal((15L, 0L, 12L, ConnectionState.Connected), (snapshot.LastSequenceNumber, snapshot.SequenceGaps, snapshot.MediaReceived, snapshot.State));

        // The restored activation's heartbeat runs: silence past the limit closes the same socket.
        _cluster.Time.Advance(new ConnectionGrainOptions().HeartbeatTimeout);
        await TestWait.UntilAsync(() => observer.Closes.Count == 1, "the heartbeat close of the restored activation", () => $"{observer.Closes.Count} closes");
        Assert.Equal(ConnectionErrorCode.ConnectionTimeout, observer.Closes[0].Error);
    }

    [Fact]
    public async Task Deactivate_NotAHandOff_PartialEchoChunkStaysUnsentForTheGatewayToRedeliver()
    {
        var (grain, observer, _) = await StartedAsync();

        // Two frames (320 B) stay in the echo handler's buffer: a chunk goes out at 400 B.
        var ack = await grain.Deliver(MediaBatch(observer.SocketId, 1, 2));
        Assert.Equal(new DeliveryAck(0, true), ack);

        await _cluster.Cluster.DeactivateAsync(grain);

        // Deactivation waits for the outbound drain, so a flush would be at the observer by now.
        Assert.DoesNotContain(observer.Frames, f => f.Payload is not null);
        Assert.Equal(0, (await StoredAsync(grain))?.DeliveredThrough);
    }

    [Fact]
    public async Task Deactivate_EndedCall_RestoredActivationRefusesStartAndClearsTheRecordAfterRetention()
    {
        var (grain, _, _) = await StartedAsync();
        await grain.Stop(new StreamStop(2, "AC1", "CA1"));
        await _cluster.Cluster.DeactivateAsync(grain);
        var late = Observer(out var lateReference);

        var result = await grain.Start(StartOf(grain.GetPrimaryKeyString()), lateReference, "gw-2", late.SocketId);

        Assert.Equal((false, ConnectionState.Disconnected), (result.Accepted, result.State));
        Assert.NotNull(await StoredAsync(grain));
        var deactivated = _cluster.Cluster.WaitForDeactivationAsync(grain);
        _cluster.Time.Advance(new ConnectionGrainOptions().RetentionPeriod);
        await TestWait.CompletesAsync(deactivated, $"the restored {grain.GetPrimaryKeyString()} deactivating after the rest of its retention");
        Assert.Null(await StoredAsync(grain));
    }

    private const int EchoCallHandlerChunk = 400;

    private RecordingObserver Observer(out IConnectionObserver reference)
    {
        var observer = new RecordingObserver();
        _held.Add(observer);
        reference = _cluster.Client.CreateObjectReference<IConnectionObserver>(observer);
        return observer;
    }

    private async Task<(IConnectionGrain Grain, RecordingObserver Observer, IConnectionObserver Reference)> StartedAsync(string? remoteAddress = null)
    {
        var sid = NewStreamSid();
        var grain = _cluster.Client.GetGrain<IConnectionGrain>(sid);
        var observer = Observer(out var reference);
        var result = await grain.Start(StartOf(sid), reference, "gw-1", observer.SocketId, remoteAddress);
        Assert.True(result.Accepted, $"start of {sid}: {result.Reason}");
        return (grain, observer, reference);
    }

    private async Task<ConnectionCheckpoint?> StoredAsync(IConnectionGrain grain)
    {
        var storage = _cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(ConnectionGrain.StorageName);
        var state = new GrainState<ConnectionCheckpointState>();
        await storage.ReadStateAsync(ConnectionGrain.StateName, grain.GetGrainId(), state);
        return state.State?.Checkpoint;
    }
}
