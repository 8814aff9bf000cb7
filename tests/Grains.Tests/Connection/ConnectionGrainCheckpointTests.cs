using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Grains.Applications;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Tests.Fakes;
using Switchboard.Runtime;
using Switchboard.Runtime.Storage;
using Switchboard.TestInfrastructure;

namespace Switchboard.Grains.Tests.Connection;

/// <summary>When the connection grain writes, restores and clears its checkpoint (fake context, fired timers, fake store).</summary>
public sealed class ConnectionGrainCheckpointTests
{
    private const string Sid = "MZ00000000000000000000000000000004";
    private static readonly GrainId Id = new("connection", Sid);
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingObserver _observer = new();
    private readonly FakePersistentStateFactory _states = new();
    private readonly ListLogger _logger = new();
    private readonly RecordingApplication _app = new();
    private FakeGrainContext _context = new(Id);

    // ---- failure cases ----

    [Fact]
    public async Task Write_StoreDown_CallContinuesFailureLoggedAndNextTickRetries()
    {
        var grain = await ActivateAsync();
        _states.Failure = new TimeoutException("store down");

        var result = await grain.Start(StartMessage(), _observer, "gw-1");
        await grain.OnMedia(Media(2));
        Assert.True((await grain.EnqueueMedia(new byte[16])).Accepted);

        Assert.True(result.Accepted);
        Assert.Equal(ConnectionState.Connected, (await grain.GetSnapshot()).State);
        Assert.Single(_observer.Frames);
        Assert.Equal(1, _logger.Count(3401));
        Assert.Equal(0, _states.Writes);

        _time.Advance(TimeSpan.FromSeconds(1));
        await Timer.FireAsync();
        Assert.Equal(1, _logger.Count(3401)); // one warning per outage
        Assert.Equal(1, _logger.Count(3406)); // then debug lines

        _states.Failure = null;
        _time.Advance(TimeSpan.FromSeconds(1));
        await Timer.FireAsync();
        Assert.Equal(1, _states.Writes);
        Assert.Equal(2, Stored()!.SequenceHighest);
        Assert.Equal(1, _logger.Count(3407)); // recovered after 2 failed writes
    }

    [Fact]
    public async Task Write_AnotherActivationWrote_StepsDownWithoutFailingTheCall()
    {
        var grain = await ActivateAsync();
        await grain.Start(StartMessage(), _observer, "gw-1");
        _states.WriteByAnotherActivation(Id, ConnectionGrain.StateName);
        await grain.OnMedia(Media(2));

        _time.Advance(TimeSpan.FromSeconds(1));
        await Timer.FireAsync();

        Assert.Equal(1, _logger.Count(3402));
        Assert.Equal(1, _context.DeactivateRequests);
        Assert.True(Timer.Disposed);
        await grain.OnMedia(Media(3));
        await grain.Stop(new StreamStop(4, "AC1", "CA1"));
        await grain.OnDeactivateAsync(DeactivationReason.ApplicationRequested, default);
        Assert.Equal(1, _states.Writes);
        Assert.Equal(1, _logger.Count(3402));
    }

    [Fact]
    public async Task Tick_StoreSlow_PeriodicWriteDoesNotHoldTheTurnAndTheNextWriteWaitsForIt()
    {
        var grain = await ActivateAsync();
        await grain.Start(StartMessage(), _observer, "gw-1");
        var slowStore = new TaskCompletionSource();
        _states.WriteGate = slowStore.Task;
        await grain.OnMedia(Media(2));

        _time.Advance(TimeSpan.FromSeconds(1));
        var tick = Timer.FireAsync();
        var media = grain.OnMedia(Media(3));
        var stop = grain.Stop(new StreamStop(4, "AC1", "CA1"));

        Assert.True(tick.IsCompletedSuccessfully, "the tick must not wait for the store");
        Assert.True(media.IsCompletedSuccessfully, "media must not wait for the store");
        Assert.False(stop.IsCompleted, "the final write must wait for the periodic write in flight (one ETag at a time)");
        Assert.Equal(1, _states.Writes);

        slowStore.SetResult();
        await stop;

        Assert.Equal(3, _states.Writes);
        Assert.Equal(0, _logger.Count(3402));
        Assert.Equal(ConnectionState.Disconnected, Stored()!.State);
        Assert.Equal(4, Stored()!.SequenceHighest);
    }

    [Fact]
    public async Task Activate_ReadFails_ActivationFailsWithStorageError()
    {
        _states.ReadFailure = new TimeoutException("store down");

        var ex = await Assert.ThrowsAsync<GrainStorageException>(() => ActivateAsync());

        Assert.Contains(Sid, ex.Message, StringComparison.Ordinal);
        Assert.Empty(_context.Timers);
    }

    [Fact]
    public async Task Activate_NoCheckpoint_NothingWrittenWithoutStart()
    {
        var grain = await ActivateAsync();
        await grain.GetSnapshot();
        await grain.OnMedia(Media(2));

        await grain.OnDeactivateAsync(DeactivationReason.IdleCollection, default);

        Assert.Equal(0, _states.Writes);
        Assert.False(_states.Contains(Id, ConnectionGrain.StateName));
        Assert.Empty(_context.Timers);
    }

    // ---- when it writes ----

    [Fact]
    public async Task Start_Accepted_CheckpointStoredBeforeReturning()
    {
        var grain = await ActivateAsync();

        await grain.Start(StartMessage(), _observer, "gw-1");

        var stored = Stored();
        Assert.NotNull(stored);
        Assert.Equal((ConnectionState.Connected, "gw-1", 1L), (stored.State, stored.GatewayId, stored.SequenceHighest));
        Assert.Same(_observer, stored.Observer);
        Assert.Equal(1, _states.Writes);
    }

    [Fact]
    public async Task Start_SameSocketRetried_NoSecondWrite()
    {
        var grain = await ActivateAsync();
        await grain.Start(StartMessage(), _observer, "gw-1");

        var retry = await grain.Start(StartMessage(), _observer, "gw-1");

        Assert.Equal("already attached", retry.Reason);
        Assert.Equal(1, _states.Writes);
    }

    [Fact]
    public async Task Tick_DirtyCheckpoint_WrittenOnlyOncePerCheckpointPeriod()
    {
        var grain = await ActivateAsync(new ConnectionGrainOptions { CheckpointPeriod = TimeSpan.FromSeconds(3) });
        await grain.Start(StartMessage(), _observer, "gw-1");

        for (var second = 1; second <= 6; second++)
        {
            await grain.OnMedia(Media(second + 1));
            _time.Advance(TimeSpan.FromSeconds(1));
            await Timer.FireAsync();
        }

        Assert.Equal(3, _states.Writes);
        Assert.Equal(7, Stored()!.SequenceHighest);

        // Nothing changed: no write however many ticks pass.
        for (var second = 0; second < 6; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Timer.FireAsync();
        }

        Assert.Equal(3, _states.Writes);
    }

    [Fact]
    public async Task Stop_FinalState_WrittenInTheSameTurn()
    {
        var grain = await ActivateAsync();
        await grain.Start(StartMessage(), _observer, "gw-1");

        await grain.Stop(new StreamStop(2, "AC1", "CA1"));

        Assert.Equal(ConnectionState.Disconnected, Stored()!.State);
        Assert.NotNull(Stored()!.EndedAt);
    }

    [Fact]
    public async Task SocketClosed_Broken_FailedStateWrittenInTheSameTurn()
    {
        var grain = await ActivateAsync();
        await grain.Start(StartMessage(), _observer, "gw-1");

        await grain.SocketClosed(new SocketClosure(null, "reset"));

        Assert.Equal((ConnectionState.Failed, ConnectionErrorCode.NetworkFailure), (Stored()!.State, Stored()!.Error));
    }

    [Fact]
    public async Task HeartbeatTimeout_FinalStateWrittenByTheTick()
    {
        var grain = await ActivateAsync();
        await grain.Start(StartMessage(), _observer, "gw-1");

        _time.Advance(TimeSpan.FromSeconds(10));
        await Timer.FireAsync();

        Assert.Equal((ConnectionState.Disconnected, ConnectionErrorCode.ConnectionTimeout), (Stored()!.State, Stored()!.Error));
    }

    [Fact]
    public async Task Deactivation_Dirty_WritesTheLatestState()
    {
        var grain = await ActivateAsync();
        await grain.Start(StartMessage(), _observer, "gw-1");
        await grain.OnMedia(Media(2));
        await grain.EnqueueMark("m1");

        await grain.OnDeactivateAsync(DeactivationReason.ShuttingDown, default);

        var stored = Stored()!;
        Assert.Equal(2, stored.SequenceHighest);
        Assert.Equal("m1", Assert.Single(stored.PendingMarks).Name);
    }

    [Fact]
    public async Task Retention_Elapsed_CheckpointClearedWhenTheGrainDeactivates()
    {
        var grain = await ActivateAsync();
        await grain.Start(StartMessage(), _observer, "gw-1");
        await grain.Stop(new StreamStop(2, "AC1", "CA1"));

        _time.Advance(TimeSpan.FromSeconds(30));
        await Timer.FireAsync();
        Assert.Equal(1, _context.DeactivateRequests);
        await grain.OnDeactivateAsync(DeactivationReason.ApplicationRequested, default);

        Assert.False(_states.Contains(Id, ConnectionGrain.StateName));
        Assert.Equal(1, _states.Clears);
    }

    // ---- restore ----

    [Fact]
    public async Task Activate_WithCheckpoint_ResumesTheCallAndRearmsTheHeartbeat()
    {
        var first = await ActivateAsync();
        await first.Start(StartMessage(), _observer, "gw-1");
        await first.OnMedia(Media(2));
        await first.EnqueueMark("m1");
        await first.OnDeactivateAsync(DeactivationReason.ShuttingDown, default);
        var before = await first.GetSnapshot();

        var second = await ActivateAsync(context: new FakeGrainContext(Id));

        Assert.Equal(before, await second.GetSnapshot());
        Assert.Equal(2, _app.Handlers.Count);
        Assert.Equal(1, _logger.Count(3400));
        Assert.Single(_context.Timers);
        await second.OnMark(new MarkEcho(3, "m1"));
        Assert.Equal([("m1", MarkOutcome.Played)], _app.Handlers[1].Marks);

        _time.Advance(TimeSpan.FromSeconds(10));
        await Timer.FireAsync();
        Assert.Equal(ConnectionErrorCode.ConnectionTimeout, Assert.Single(_observer.Closes).Error);
    }

    [Fact]
    public async Task Activate_EndedCallCheckpoint_RefusesStartAndClearsAfterTheRemainingRetention()
    {
        var first = await ActivateAsync();
        await first.Start(StartMessage(), _observer, "gw-1");
        await first.Stop(new StreamStop(2, "AC1", "CA1"));
        _time.Advance(TimeSpan.FromSeconds(20));

        var second = await ActivateAsync(context: new FakeGrainContext(Id));

        Assert.False((await second.Start(StartMessage(), new RecordingObserver(), "gw-2")).Accepted);
        _time.Advance(TimeSpan.FromSeconds(9));
        await Timer.FireAsync();
        Assert.Equal(0, _context.DeactivateRequests);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Timer.FireAsync();
        Assert.Equal(1, _context.DeactivateRequests);
        await second.OnDeactivateAsync(DeactivationReason.ApplicationRequested, default);
        Assert.False(_states.Contains(Id, ConnectionGrain.StateName));
    }

    private FakeGrainContext.FakeTimer Timer => Assert.Single(_context.Timers);

    private ConnectionCheckpoint? Stored() => _states.Stored<ConnectionCheckpoint>(Id, ConnectionGrain.StateName);

    private async Task<ConnectionGrain> ActivateAsync(ConnectionGrainOptions? options = null, FakeGrainContext? context = null)
    {
        _context = context ?? _context;
        var grain = new ConnectionGrain(Options.Create(options ?? new ConnectionGrainOptions()), _time, _app, new ConnectionInstruments(new TestMeterFactory()), _states, new TypedLogger<ConnectionGrain>(_logger));
        return await FakeGrainContext.ActivateAsync(grain, _context);
    }

    private static StreamStart StartMessage()
        => new(Sid, "AC1", "CA1", ["inbound"], new MediaFormat("audio/x-mulaw", 8000, 1), new Dictionary<string, string>(), 1);

    private static InboundMedia Media(long sequenceNumber) => new(sequenceNumber, "inbound", sequenceNumber, sequenceNumber * 20, new byte[160]);
}
