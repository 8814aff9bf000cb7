using Microsoft.Extensions.Time.Testing;
using Switchboard.Grains.Applications;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Tests.Fakes;
using Switchboard.TestInfrastructure;

namespace Switchboard.Grains.Tests.Connection;

/// <summary><see cref="ConnectionSession.DeliverAsync"/>: the gateway's numbered inbound batches, applied once per number
/// and socket, and the acknowledgement that lets the gateway forget them.</summary>
public sealed class ConnectionSessionDeliveryTests
{
    private const string Sid = "MZ00000000000000000000000000000006";
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingApplication _app = new();
    private readonly RecordingObserver _observer = new();
    private readonly ListLogger _logger = new();

    // ---- failure cases ----

    [Fact]
    public async Task Deliver_RedeliveredNumbers_SkippedNotCountedTwice()
    {
        var session = await StartedAsync();
        Assert.Equal(new DeliveryAck(3, true), await session.DeliverAsync(Batch(_observer, 1, 3), default));

        // The gateway timed out on that call (outcome unknown) and sends 1..3 again with 4 and 5.
        var ack = await session.DeliverAsync(Batch(_observer, 1, 5), default);

        Assert.Equal(new DeliveryAck(5, true), ack);
        Assert.Equal([2L, 3, 4, 5, 6], _app.Handler.Media.Select(m => m.SequenceNumber));
        var snapshot = session.GetSnapshot();
        Assert.Equal((5L, 0L, 0L), (snapshot.MediaReceived, snapshot.Duplicates, snapshot.SequenceGaps));
        Assert.Equal(5, session.DeliveredThrough);
    }

    [Fact]
    public async Task Deliver_FromADetachedSocketAfterAnotherAttached_NotAppliedAndNotAttached()
    {
        var session = await StartedAsync();
        await session.DeliverAsync(Batch(_observer, 1, 2), default);
        Assert.True(session.DetachObserver());
        var newer = new RecordingObserver();
        Assert.True((await session.StartAsync(StartMessage(), newer, newer.Id, new SocketOrigin("gw-2", newer.SocketId), default)).Accepted);

        var ack = await session.DeliverAsync(Batch(_observer, 3, 4), default);

        Assert.Equal(new DeliveryAck(0, false), ack);
        Assert.Equal(2, _app.Handler.Media.Count);
        Assert.Equal(2, session.IgnoredAfterEnd);
        Assert.Equal(2, session.GetSnapshot().MediaReceived);
    }

    [Fact]
    public async Task Deliver_AfterFinalState_NotAttached()
    {
        var session = await StartedAsync();
        await session.StopAsync(new StreamStop(2, "AC1", "CA1"), default);

        var ack = await session.DeliverAsync(Batch(_observer, 1, 1, firstSequence: 3), default);

        Assert.False(ack.Attached);
        Assert.Empty(_app.Handler.Media);
        Assert.Equal(1, session.IgnoredAfterEnd);
    }

    [Fact]
    public async Task Deliver_BeforeStart_NotAttachedNothingApplied()
    {
        var session = NewSession();

        var ack = await session.DeliverAsync(Batch(_observer, 1, 2), default);

        Assert.Equal(new DeliveryAck(0, false), ack);
        Assert.Equal(0, session.GetSnapshot().MediaReceived);
    }

    [Fact]
    public async Task Deliver_ObserverSlow_AcknowledgesOnlyOnceTheOutputReachedTheGateway()
    {
        var gate = new TaskCompletionSource();
        var observer = new RecordingObserver { Gate = gate.Task };
        var session = new ConnectionSession(Sid, new ConnectionGrainOptions(), _time, new EchoApplication(), new ConnectionInstruments(new TestMeterFactory()), _logger);
        Assert.True((await session.StartAsync(StartMessage(), observer, observer.Id, new SocketOrigin("gw-1", observer.SocketId), default)).Accepted);

        // Three frames of 160 B fill an echo chunk (400 B): the handler has consumed 1..3 and queued its echo.
        var ack = await session.DeliverAsync(Batch(observer, 1, 3), default);

        Assert.Equal(new DeliveryAck(0, true), ack);
        Assert.Single(observer.Attempts);
        Assert.Empty(observer.Frames);

        gate.SetResult();
        await TestWait.CompletesAsync(session.OutboundDrained, "the echo batch at the slow observer");
        Assert.Equal(new DeliveryAck(3, true), await session.DeliverAsync(new InboundBatch(observer.SocketId, []), default));
        Assert.Equal(480, Assert.Single(observer.Frames, f => f.Kind == OutboundKind.Media).Payload!.Length);
        Assert.Equal(3, observer.Batches[0].InboundWatermark);
    }

    // ---- normal operation ----

    [Fact]
    public async Task Deliver_NewSocket_RestartsNumberingAtOne()
    {
        var session = await StartedAsync();
        await session.DeliverAsync(Batch(_observer, 1, 3), default);
        Assert.True(session.DetachObserver());
        var newer = new RecordingObserver();
        Assert.True((await session.StartAsync(StartMessage(), newer, newer.Id, new SocketOrigin("gw-2", newer.SocketId), default)).Accepted);

        var ack = await session.DeliverAsync(Batch(newer, 1, 2, firstSequence: 5), default);

        Assert.Equal(new DeliveryAck(2, true), ack);
        Assert.Equal([2L, 3, 4, 5, 6], _app.Handler.Media.Select(m => m.SequenceNumber));
        Assert.Equal(2, session.DeliveredThrough);
    }

    [Fact]
    public async Task Deliver_SameSocketReattached_KeepsItsNumbering()
    {
        var session = await StartedAsync();
        await session.DeliverAsync(Batch(_observer, 1, 3), default);
        Assert.True(session.DetachObserver());
        Assert.Equal("re-attached", (await session.StartAsync(StartMessage(), _observer, _observer.Id, new SocketOrigin("gw-1", _observer.SocketId), default)).Reason);

        var ack = await session.DeliverAsync(Batch(_observer, 1, 4), default);

        Assert.Equal(new DeliveryAck(4, true), ack);
        Assert.Equal(4, _app.Handler.Media.Count);
    }

    [Fact]
    public async Task Deliver_MediaMarkAndDtmf_AppliedInBatchOrder()
    {
        var session = await StartedAsync();
        session.SendMark("m1");
        var batch = new InboundBatch(_observer.SocketId,
        [
            new InboundEvent(1, InboundKind.Media, Media(2), null, null),
            new InboundEvent(2, InboundKind.Dtmf, null, null, new DtmfEvent(3, "7")),
            new InboundEvent(3, InboundKind.Mark, null, new MarkEcho(4, "m1"), null),
            new InboundEvent(4, InboundKind.Media, Media(5), null, null),
        ]);

        var ack = await session.DeliverAsync(batch, default);

        Assert.Equal(new DeliveryAck(4, true), ack);
        Assert.Equal("7", Assert.Single(_app.Handler.Dtmf).Digit);
        Assert.Equal([("m1", MarkOutcome.Played)], _app.Handler.Marks);
        Assert.Equal([2L, 5], _app.Handler.Media.Select(m => m.SequenceNumber));
        Assert.Equal((5L, 0L), (session.LastSequenceNumber, session.GetSnapshot().SequenceGaps));
    }

    [Fact]
    public async Task DeliveredThrough_SurvivesCheckpointAndRestore_RestoredSessionSkipsThoseNumbers()
    {
        var session = await StartedAsync();
        await session.DeliverAsync(Batch(_observer, 1, 3), default);
        var checkpoint = session.ToCheckpoint();
        Assert.Equal((_observer.SocketId, 3L, 3L), (checkpoint.SocketId, checkpoint.DeliveredThrough, checkpoint.AppliedThrough));
        var app = new RecordingApplication();

        var restored = await RestoreAsync(checkpoint, app);
        var ack = await restored.DeliverAsync(Batch(_observer, 1, 5), default);

        Assert.Equal(new DeliveryAck(5, true), ack);
        Assert.Equal([5L, 6], app.Handler.Media.Select(m => m.SequenceNumber));
        Assert.Equal((5L, 0L), (restored.GetSnapshot().MediaReceived, restored.GetSnapshot().Duplicates));
    }

    [Fact]
    public async Task Restore_AppliedButUnacknowledgedNumbers_ReplayedToTheHandlerOnly()
    {
        var session = await StartedAsync();
        await session.DeliverAsync(Batch(_observer, 1, 3), default);

        // The lost activation had applied 1..3, but its output for 2 and 3 never reached the gateway.
        var checkpoint = session.ToCheckpoint() with { DeliveredThrough = 1 };
        var app = new RecordingApplication();
        var restored = await RestoreAsync(checkpoint, app);
        var ack = await restored.DeliverAsync(Batch(_observer, 2, 4), default);

        Assert.Equal(new DeliveryAck(4, true), ack);
        Assert.Equal([3L, 4, 5], app.Handler.Media.Select(m => m.SequenceNumber));
        var snapshot = restored.GetSnapshot();
        Assert.Equal((4L, 0L, 5L), (snapshot.MediaReceived, snapshot.Duplicates, snapshot.LastSequenceNumber));
    }

    private ConnectionSession NewSession()
        => new(Sid, new ConnectionGrainOptions(), _time, _app, new ConnectionInstruments(new TestMeterFactory()), _logger);

    private async Task<ConnectionSession> StartedAsync()
    {
        var session = NewSession();
        Assert.True((await session.StartAsync(StartMessage(), _observer, _observer.Id, new SocketOrigin("gw-1", _observer.SocketId), default)).Accepted);
        return session;
    }

    private Task<ConnectionSession> RestoreAsync(ConnectionCheckpoint checkpoint, ICallApplication app)
        => ConnectionSession.RestoreAsync(Sid, checkpoint, new ConnectionGrainOptions(), _time, app, new ConnectionInstruments(new TestMeterFactory()), _logger,
            id => id == _observer.Id ? _observer : throw new InvalidOperationException($"no observer {id} in this test"), default);

    // Media events numbered from..through; Twilio's sequence number runs one ahead (start was 1) unless given.
    private static InboundBatch Batch(RecordingObserver socket, long from, long through, long? firstSequence = null)
    {
        var offset = (firstSequence ?? from + 1) - from;
        return new InboundBatch(socket.SocketId,
            [.. Enumerable.Range((int)from, (int)(through - from + 1)).Select(n => new InboundEvent(n, InboundKind.Media, Media(n + offset), null, null))]);
    }

    private static InboundMedia Media(long sequenceNumber) => new(sequenceNumber, "inbound", sequenceNumber, sequenceNumber * 20, new byte[160]);

    private static StreamStart StartMessage()
        => new(Sid, "AC1", "CA1", ["inbound"], new MediaFormat("audio/x-mulaw", 8000, 1), new Dictionary<string, string>(), 1);
}
