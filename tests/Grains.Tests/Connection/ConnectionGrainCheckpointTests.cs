using Switchboard.Grains.Connection;
using Switchboard.Grains.Tests.Fakes;
using Switchboard.Grains.Tests.Hosting;
using Switchboard.TestInfrastructure;
using static Switchboard.Grains.Tests.Hosting.GrainCallHelpers;

namespace Switchboard.Grains.Tests.Connection;

/// <summary>When the connection grain writes, restores and clears its checkpoint: a real silo, grain timers on fake time,
/// and a <see cref="TestGrainStore"/> that counts writes and can fail or be slow.</summary>
public sealed class ConnectionGrainCheckpointTests(SharedStoreSiloFixture fixture) : IClassFixture<SharedStoreSiloFixture>
{
    private readonly GrainCluster _cluster = fixture.Cluster;
    private readonly List<RecordingObserver> _held = [];

    private TestGrainStore Store => _cluster.Store;

    // ---- failure cases ----

    [Fact]
    public async Task Write_StoreDown_CallContinuesFailureLoggedOnceAndTheNextTickRetries()
    {
        var sid = NewStreamSid();
        var grain = _cluster.Client.GetGrain<IConnectionGrain>(sid);
        var observer = Observer(out var reference);
        Store.FailWrites = true;
        try
        {
            var result = await grain.Start(StartOf(sid), reference, "gw-1", observer.SocketId);
            await grain.Deliver(MediaBatch(observer.SocketId, 1, 1));
            Assert.True((await grain.EnqueueMedia(new byte[16])).Accepted);

            Assert.True(result.Accepted);
            Assert.Equal(ConnectionState.Connected, (await grain.GetSnapshot()).State);
            await TestWait.UntilAsync(() => observer.Frames.Count == 1, "the enqueued audio at the observer while the store is down");
            Assert.Equal(1, _cluster.Logs.Count(3401, sid));
            Assert.Equal(0, Store.Writes(grain.GetGrainId()));

            await TickAsync(grain, observer);
            await TestWait.UntilAsync(() => _cluster.Logs.Count(3406, sid) == 1, "the second failed write logged at debug");
            Assert.Equal(1, _cluster.Logs.Count(3401, sid)); // one warning per outage
        }
        finally
        {
            Store.FailWrites = false;
        }

        await TickAsync(grain, observer);

        await TestWait.UntilAsync(() => Store.Writes(grain.GetGrainId()) == 1, "the checkpoint written once the store is back",
            () => $"{Store.Writes(grain.GetGrainId())} writes");
        Assert.Equal(2, Stored(grain)?.SequenceHighest);
        await TestWait.UntilAsync(() => _cluster.Logs.Count(3407, sid) == 1, "the recovery logged after 2 failed writes");
    }

    [Fact]
    public async Task Tick_StoreSlow_PeriodicWriteDoesNotHoldTheTurnAndTheFinalWriteWaitsForIt()
    {
        var (grain, observer) = await StartedAsync();
        await grain.Deliver(MediaBatch(observer.SocketId, 1, 1));
        var slowStore = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Store.WriteGate = slowStore.Task;
        try
        {
            _cluster.Time.Advance(TimeSpan.FromSeconds(1));

            // Queued behind the tick: completes although the tick's write is still waiting for the store.
            await TestWait.CompletesAsync(grain.Deliver(MediaBatch(observer.SocketId, 2, 2)), "media while the periodic write waits for a slow store");
            var stop = grain.Stop(new StreamStop(4, "AC1", "CA1"));
            await TestWait.UntilAsync(async () => (await grain.GetSnapshot()).State == ConnectionState.Disconnected, "the stop applied before its write");
            Assert.False(stop.IsCompleted, "the stop returns only once its final state is stored");
            Assert.Equal(1, Store.Writes(grain.GetGrainId()));

            slowStore.SetResult();
            await TestWait.CompletesAsync(stop, "the stop once the store answers");
        }
        finally
        {
            Store.WriteGate = null;
            slowStore.TrySetResult();
        }

        // Start, the periodic write, then the final write after it: never two writes with one ETag.
        Assert.Equal(3, Store.Writes(grain.GetGrainId()));
        Assert.Equal(0, _cluster.Logs.Count(3402, grain.GetPrimaryKeyString()));
        Assert.Equal((ConnectionState.Disconnected, 4L), (Stored(grain)?.State, Stored(grain)?.SequenceHighest));
    }

    [Fact]
    public async Task Activate_ReadFails_CallFailsAndTheNextCallActivatesOnceTheStoreIsBack()
    {
        var sid = NewStreamSid();
        var grain = _cluster.Client.GetGrain<IConnectionGrain>(sid);
        Store.ReadFailure = new TimeoutException($"store down while {sid} activates");
        try
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => grain.GetSnapshot());
            Assert.Contains("store down", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Store.ReadFailure = null;
        }

        Assert.Equal(ConnectionState.Connecting, (await grain.GetSnapshot()).State);
    }

    [Fact]
    public async Task Activate_NoCheckpoint_NothingWrittenWithoutStart()
    {
        var grain = _cluster.Client.GetGrain<IConnectionGrain>(NewStreamSid());
        await grain.GetSnapshot();
        var ack = await grain.Deliver(MediaBatch("socket-never-started", 1, 1));

        await _cluster.Cluster.DeactivateAsync(grain);

        Assert.Equal(new DeliveryAck(0, false), ack);
        Assert.Equal(0, Store.Writes(grain.GetGrainId()));
        Assert.False(Store.Contains(grain.GetGrainId(), ConnectionGrain.StateName));
    }

    // ---- when it writes ----

    [Fact]
    public async Task Start_Accepted_CheckpointStoredBeforeReturning()
    {
        var (grain, observer, reference) = await StartedWithReferenceAsync();

        var stored = Stored(grain);

        Assert.NotNull(stored);
        Assert.Equal((ConnectionState.Connected, "gw-1", 1L), (stored.State, stored.GatewayId, stored.SequenceHighest));
        Assert.Equal((reference.GetGrainId().ToString(), observer.SocketId), (stored.ObserverId, stored.SocketId));
        Assert.Equal(1, Store.Writes(grain.GetGrainId()));
        Assert.DoesNotContain("$type", Store.Json(grain.GetGrainId(), ConnectionGrain.StateName), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SameSocketRetried_NoSecondWrite()
    {
        var (grain, observer, reference) = await StartedWithReferenceAsync();

        var retry = await grain.Start(StartOf(grain.GetPrimaryKeyString()), reference, "gw-1", observer.SocketId);

        Assert.Equal("already attached", retry.Reason);
        Assert.Equal(1, Store.Writes(grain.GetGrainId()));
    }

    [Fact]
    public async Task Tick_DirtyCheckpoint_WrittenOnlyOncePerCheckpointPeriod()
    {
        await using var cluster = await GrainCluster.StartAsync(CheckpointStorage.Shared, settings: new() { ["ConnectionGrain:CheckpointPeriod"] = "00:00:03" });
        var sid = NewStreamSid();
        var grain = cluster.Client.GetGrain<IConnectionGrain>(sid);
        var observer = new RecordingObserver();
        var reference = cluster.Client.CreateObjectReference<IConnectionObserver>(observer);
        Assert.True((await grain.Start(StartOf(sid), reference, "gw-1", observer.SocketId)).Accepted);

        for (var second = 1; second <= 6; second++)
        {
            await grain.Deliver(MediaBatch(observer.SocketId, second, second));
            cluster.Time.Advance(TimeSpan.FromSeconds(1));
            await grain.Deliver(Nothing(observer.SocketId));
        }

        await TestWait.UntilAsync(() => cluster.Store.Writes(grain.GetGrainId()) == 3, "the start write and one write per 3 s of changes",
            () => $"{cluster.Store.Writes(grain.GetGrainId())} writes");
        Assert.Equal(7, cluster.Store.Read<ConnectionCheckpointState>(grain.GetGrainId(), ConnectionGrain.StateName)?.Checkpoint?.SequenceHighest);

        // Nothing changed: no write however many ticks pass.
        for (var second = 0; second < 6; second++)
        {
            cluster.Time.Advance(TimeSpan.FromSeconds(1));
            await grain.Deliver(Nothing(observer.SocketId));
        }

        Assert.Equal(3, cluster.Store.Writes(grain.GetGrainId()));
        GC.KeepAlive(observer);
    }

    [Fact]
    public async Task Stop_FinalState_WrittenInTheSameTurn()
    {
        var (grain, _) = await StartedAsync();

        await grain.Stop(new StreamStop(2, "AC1", "CA1"));

        Assert.Equal(ConnectionState.Disconnected, Stored(grain)?.State);
        Assert.NotNull(Stored(grain)?.EndedAt);
    }

    [Fact]
    public async Task SocketClosed_Broken_FailedStateWrittenInTheSameTurn()
    {
        var (grain, _) = await StartedAsync();

        await grain.SocketClosed(new SocketClosure(null, "reset"));

        Assert.Equal((ConnectionState.Failed, ConnectionErrorCode.NetworkFailure), (Stored(grain)?.State, Stored(grain)?.Error));
    }

    [Fact]
    public async Task HeartbeatTimeout_FinalStateWrittenByTheTick()
    {
        var (grain, observer) = await StartedAsync();

        _cluster.Time.Advance(new ConnectionGrainOptions().HeartbeatTimeout);
        await grain.Deliver(Nothing(observer.SocketId));

        Assert.Equal((ConnectionState.Disconnected, ConnectionErrorCode.ConnectionTimeout), (Stored(grain)?.State, Stored(grain)?.Error));
    }

    [Fact]
    public async Task Deactivation_Dirty_WritesTheLatestState()
    {
        var (grain, observer) = await StartedAsync();
        await grain.Deliver(MediaBatch(observer.SocketId, 1, 1));
        await grain.EnqueueMark("m1");

        await _cluster.Cluster.DeactivateAsync(grain);

        var stored = Stored(grain);
        Assert.Equal(2, stored?.SequenceHighest);
        Assert.Equal("m1", Assert.Single(stored!.PendingMarks).Name);
        Assert.Equal((observer.SocketId, 1L), (stored.SocketId, stored.AppliedThrough));
    }

    [Fact]
    public async Task Restore_LastWritesFailed_ContinuesFromTheLastCheckpointAndTheRedeliveryFillsTheGap()
    {
        var (grain, observer) = await StartedAsync();
        await grain.Deliver(MediaBatch(observer.SocketId, 1, 3));
        await TickAsync(grain, observer);
        await TestWait.UntilAsync(() => Stored(grain)?.SequenceHighest == 4, "the periodic checkpoint at sequence 4");

        // Then the store goes down: 5 and 6 are processed, but neither the tick nor the deactivation can store them.
        await grain.Deliver(MediaBatch(observer.SocketId, 4, 5));
        Store.FailWrites = true;
        try
        {
            var failed = Store.FailedWrites;
            await TickAsync(grain, observer);
            await TestWait.UntilAsync(() => Store.FailedWrites > failed, "the periodic write failing");
            Assert.Equal(6, (await grain.GetSnapshot()).LastSequenceNumber);
            await _cluster.Cluster.DeactivateAsync(grain);
        }
        finally
        {
            Store.FailWrites = false;
        }

        var restored = await grain.GetSnapshot();
        Assert.Equal((ConnectionState.Connected, 4L, 3L), (restored.State, restored.LastSequenceNumber, restored.MediaReceived));

        // The gateway still holds 4 and 5 (never acknowledged by a stored checkpoint) and re-delivers them with 6.
        var ack = await grain.Deliver(MediaBatch(observer.SocketId, 1, 6));
        Assert.True(ack.Attached);
        var after = await grain.GetSnapshot();
        Assert.Equal((7L, 0L, 6L), (after.LastSequenceNumber, after.SequenceGaps, after.MediaReceived));
    }

    private RecordingObserver Observer(out IConnectionObserver reference)
    {
        var observer = new RecordingObserver();
        _held.Add(observer);
        reference = _cluster.Client.CreateObjectReference<IConnectionObserver>(observer);
        return observer;
    }

    private async Task<(IConnectionGrain Grain, RecordingObserver Observer)> StartedAsync()
    {
        var (grain, observer, _) = await StartedWithReferenceAsync();
        return (grain, observer);
    }

    private async Task<(IConnectionGrain Grain, RecordingObserver Observer, IConnectionObserver Reference)> StartedWithReferenceAsync()
    {
        var sid = NewStreamSid();
        var grain = _cluster.Client.GetGrain<IConnectionGrain>(sid);
        var observer = Observer(out var reference);
        var result = await grain.Start(StartOf(sid), reference, "gw-1", observer.SocketId);
        Assert.True(result.Accepted, $"start of {sid}: {result.Reason}");
        return (grain, observer, reference);
    }

    // One heartbeat tick (the checkpoint period is 1 s), then a call queued behind it.
    private async Task TickAsync(IConnectionGrain grain, RecordingObserver observer)
    {
        _cluster.Time.Advance(TimeSpan.FromSeconds(1));
        await grain.Deliver(Nothing(observer.SocketId));
    }

    private ConnectionCheckpoint? Stored(IConnectionGrain grain)
        => Store.Read<ConnectionCheckpointState>(grain.GetGrainId(), ConnectionGrain.StateName)?.Checkpoint;
}
