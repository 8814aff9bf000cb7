using Microsoft.Extensions.Time.Testing;
using Switchboard.Grains.Applications;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Tests.Fakes;
using Switchboard.TestInfrastructure;

namespace Switchboard.Grains.Tests.Connection;

/// <summary><see cref="ConnectionSession.ToCheckpoint"/> and <see cref="ConnectionSession.RestoreAsync"/>.</summary>
public sealed class ConnectionSessionCheckpointTests
{
    private const string Sid = "MZ00000000000000000000000000000003";
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingApplication _app = new();
    private readonly RecordingObserver _observer = new();
    private readonly ListLogger _logger = new();
    private readonly StreamStart _start = StartMessage();
    private readonly List<string> _resolved = [];

    // ---- failure cases ----

    [Fact]
    public async Task Restore_ApplicationThrows_FailsWithServerErrorAndClosesRestoredObserverWith1011()
    {
        var checkpoint = (await StartedAsync()).ToCheckpoint();
        var app = new RecordingApplication { ThrowOnCreate = true };

        var restored = await RestoreAsync(checkpoint, app);

        Assert.Equal((ConnectionState.Failed, ConnectionErrorCode.ServerError), (restored.State, restored.Error));
        Assert.Equal(1011, Assert.Single(_observer.Closes).CloseStatus);
        Assert.Equal(1, restored.HandlerFaults);
        Assert.True(restored.Changes > 0);
    }

    [Fact]
    public async Task Restore_CheckpointInConnecting_Throws()
    {
        var checkpoint = (await StartedAsync()).ToCheckpoint() with { State = ConnectionState.Connecting };

        await Assert.ThrowsAsync<ArgumentException>(() => RestoreAsync(checkpoint, _app));
    }

    [Fact]
    public async Task Restore_WindowOfWrongSize_StartsFreshOriginAtHighest()
    {
        var session = await StartedAsync();
        await session.OnMediaAsync(Media(2), default);
        await session.OnMediaAsync(Media(5), default);
        var checkpoint = session.ToCheckpoint() with { SequenceWindow = [1, 2, 3] };

        var restored = await RestoreAsync(checkpoint, new RecordingApplication());
        await restored.OnMediaAsync(Media(3), default);
        await restored.OnMediaAsync(Media(6), default);

        var snapshot = restored.GetSnapshot();
        Assert.Equal(6, snapshot.LastSequenceNumber);
        Assert.Equal(2, snapshot.SequenceGaps);
        Assert.Equal(0, snapshot.Reordered);
    }

    [Fact]
    public async Task Restore_EndedCall_NoHandlerStartRefusedRetentionFromOriginalEnd()
    {
        var session = await StartedAsync(new ConnectionGrainOptions { RetentionPeriod = TimeSpan.FromSeconds(30) });
        await session.StopAsync(new StreamStop(2, "AC1", "CA1"), default);
        var checkpoint = session.ToCheckpoint();
        _time.Advance(TimeSpan.FromSeconds(20));
        var app = new RecordingApplication();

        var restored = await RestoreAsync(checkpoint, app, new ConnectionGrainOptions { RetentionPeriod = TimeSpan.FromSeconds(30) });

        Assert.Empty(app.Handlers);
        Assert.Equal(ConnectionState.Disconnected, restored.State);
        var late = new RecordingObserver();
        Assert.False((await restored.StartAsync(StartMessage(), late, late.Id, new SocketOrigin("gw-2", late.SocketId), default)).Accepted);
        Assert.Equal(SessionTick.None, await restored.TickAsync(default));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(SessionTick.RetentionElapsed, await restored.TickAsync(default));
    }

    [Fact]
    public async Task Restore_ReconnectingCall_RefusesSendsUntilReattached()
    {
        var session = await StartedAsync();
        Assert.True(session.DetachObserver());
        var checkpoint = session.ToCheckpoint();
        Assert.Null(checkpoint.ObserverId);

        var restored = await RestoreAsync(checkpoint, new RecordingApplication());

        Assert.Equal(ConnectionState.Reconnecting, restored.State);
        Assert.False(restored.SendMedia(new byte[8]).Accepted);
        var newer = new RecordingObserver();
        var result = await restored.StartAsync(StartMessage(), newer, newer.Id, new SocketOrigin("gw-2", newer.SocketId), default);
        Assert.Equal("re-attached", result.Reason);
        Assert.True(restored.SendMedia(new byte[8]).Accepted);
        Assert.Single(newer.Frames);
    }

    [Fact]
    public async Task Restore_HeartbeatRestartsFromRestoreTime()
    {
        var checkpoint = (await StartedAsync()).ToCheckpoint();
        _time.Advance(TimeSpan.FromSeconds(9));

        var restored = await RestoreAsync(checkpoint, new RecordingApplication());
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(SessionTick.None, await restored.TickAsync(default));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(SessionTick.HeartbeatTimedOut, await restored.TickAsync(default));
        Assert.Equal(ConnectionErrorCode.ConnectionTimeout, Assert.Single(_observer.Closes).Error);
    }

    // ---- normal operation ----

    [Fact]
    public async Task Restore_LiveCall_KeepsStateSequenceCountersAndPendingMarks()
    {
        var session = await StartedAsync();
        await session.OnMediaAsync(Media(2), default);
        await session.OnMediaAsync(Media(3), default);
        await session.OnMediaAsync(Media(5), default);
        await session.OnMediaAsync(Media(3), default);
        session.SendMedia(new byte[800]);
        session.SendMark("a");
        session.SendMark("b");
        session.Clear();
        session.SendMedia(new byte[80]);
        session.SendMark("c");
        session.SendMark("d");
        await session.OnMarkAsync(new MarkEcho(6, "a"), default);
        session.ReportRoundTrip(42);
        var before = session.GetSnapshot();
        var app = new RecordingApplication();

        var restored = await RestoreAsync(session.ToCheckpoint(), app);

        Assert.Equal(before with { BufferedOutboundMs = 0 }, restored.GetSnapshot());
        Assert.Equal(_start, restored.Start);
        Assert.Equal("gw-1", restored.GatewayId);
        Assert.Equal(1, app.Handler.Starts);

        // Echoes of marks sent by the old activation resolve, in order, with their cleared tag, on the new handler.
        await restored.OnMarkAsync(new MarkEcho(7, "b"), default);
        await restored.OnMarkAsync(new MarkEcho(8, "c"), default);
        Assert.Equal([("b", MarkOutcome.Cleared), ("c", MarkOutcome.Played)], app.Handler.Marks);

        // The sequence window survived: 4 arrives late (reordered), 3 again is a duplicate.
        await restored.OnMediaAsync(Media(4), default);
        await restored.OnMediaAsync(Media(3), default);
        var after = restored.GetSnapshot();
        Assert.Equal((8, 1, 1, 2), (after.LastSequenceNumber, after.SequenceGaps, after.Reordered, after.Duplicates));

        // Outbound goes to the same observer.
        Assert.True(restored.SendMedia(new byte[16]).Accepted);
        Assert.Equal(16, _observer.Frames[^1].Payload!.Length);
    }

    [Fact]
    public async Task Changes_MoveOnInboundMarksStateAndSocketButNotOnOutboundAudio()
    {
        var session = NewSession();
        Assert.Equal(0, session.Changes);
        await session.StartAsync(StartMessage(), _observer, _observer.Id, new SocketOrigin("gw-1", _observer.SocketId), default);
        var afterStart = session.Changes;
        Assert.True(afterStart > 0);

        session.SendMedia(new byte[160]);
        session.ReportRoundTrip(10);
        Assert.Equal(afterStart, session.Changes);

        await session.OnMediaAsync(Media(2), default);
        var afterMedia = session.Changes;
        session.SendMark("m");
        var afterMark = session.Changes;
        session.Clear();
        var afterClear = session.Changes;
        await session.StopAsync(new StreamStop(3, "AC1", "CA1"), default);

        Assert.True(afterStart < afterMedia && afterMedia < afterMark && afterMark < afterClear && afterClear < session.Changes);
    }

    private ConnectionSession NewSession(ConnectionGrainOptions? options = null)
        => new(Sid, options ?? new ConnectionGrainOptions(), _time, _app, new ConnectionInstruments(new TestMeterFactory()), _logger);

    private async Task<ConnectionSession> StartedAsync(ConnectionGrainOptions? options = null)
    {
        var session = NewSession(options);
        Assert.True((await session.StartAsync(_start, _observer, _observer.Id, new SocketOrigin("gw-1", _observer.SocketId), default)).Accepted);
        return session;
    }

    private Task<ConnectionSession> RestoreAsync(ConnectionCheckpoint checkpoint, ICallApplication app, ConnectionGrainOptions? options = null)
        => ConnectionSession.RestoreAsync(Sid, checkpoint, options ?? new ConnectionGrainOptions(), _time, app, new ConnectionInstruments(new TestMeterFactory()), _logger, ResolveObserver, default);

    // Stands for the grain factory: a checkpoint names its observer by id, and only the test's observer exists.
    private IConnectionObserver ResolveObserver(string id)
    {
        _resolved.Add(id);
        return id == _observer.Id ? _observer : throw new InvalidOperationException($"no observer {id} in this test");
    }

    private static StreamStart StartMessage()
        => new(Sid, "AC1", "CA1", ["inbound"], new MediaFormat("audio/x-mulaw", 8000, 1), new Dictionary<string, string>(), 1);

    private static InboundMedia Media(long sequenceNumber) => new(sequenceNumber, "inbound", sequenceNumber, sequenceNumber * 20, new byte[160]);
}
