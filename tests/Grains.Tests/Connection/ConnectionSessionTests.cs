using Microsoft.Extensions.Time.Testing;
using Switchboard.Grains.Applications;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Tests.Fakes;
using Switchboard.TestInfrastructure;

namespace Switchboard.Grains.Tests.Connection;

public class ConnectionSessionTests
{
    private const string Sid = "MZ00000000000000000000000000000001";
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingApplication _app = new();
    private readonly RecordingObserver _observer = new();
    private readonly ListLogger _logger = new();
    private long _seq = 1;

    // ---- start policy: one socket per stream ----

    [Fact]
    public async Task Start_AfterFinalState_RefusedAsEndedNamingTheLastHolderAndOldObserverUntouched()
    {
        var session = await StartedAsync(remoteAddress: "203.0.113.7");
        await session.StopAsync(new StreamStop(2, "AC", "CA"), default);
        var late = new RecordingObserver();

        var result = await session.StartAsync(StartMessage(), late, late.Id, new SocketOrigin("gw-2", late.SocketId, "198.51.100.9"), default);

        Assert.False(result.Accepted);
        Assert.Equal(StartRefusal.StreamEnded, result.Refusal);
        Assert.Equal("203.0.113.7", result.HolderRemoteAddress);
        Assert.Equal(ConnectionState.Disconnected, result.State);
        Assert.Empty(late.Frames);
        Assert.Empty(late.Closes);
        Assert.Single(_app.Handlers);
    }

    [Fact]
    public async Task Start_SecondSocketWhileLive_RefusedNamingTheHolderAndHolderUntouched()
    {
        var session = await StartedAsync(remoteAddress: "203.0.113.7");
        session.SendMark("pending");
        var stranger = new RecordingObserver();

        var result = await session.StartAsync(StartMessage(), stranger, stranger.Id, new SocketOrigin("gw-2", stranger.SocketId, "198.51.100.9"), default);

        Assert.False(result.Accepted);
        Assert.Equal(StartRefusal.StreamLive, result.Refusal);
        Assert.Equal("203.0.113.7", result.HolderRemoteAddress);
        Assert.Equal(ConnectionState.Connected, result.State);
        Assert.Empty(stranger.Frames);
        Assert.Empty(stranger.Closes);
        Assert.Empty(_observer.Closes);
        Assert.Equal("gw-1", session.GatewayId);
        Assert.Empty(_app.Handler.Marks);
        var entry = Assert.Single(_logger.Entries, e => e.Id.Id == 2010);
        Assert.Contains(entry.State, kv => kv.Key == "RemoteAddress" && Equals(kv.Value, "198.51.100.9"));
        Assert.Contains(entry.State, kv => kv.Key == "HolderRemoteAddress" && Equals(kv.Value, "203.0.113.7"));

        // The holder's call goes on: its audio still reaches its own socket only.
        session.SendMedia(new byte[8]);
        Assert.Empty(stranger.Frames);
        Assert.Equal(2, _observer.Frames.Count);
        Assert.Equal(1, _app.Handler.Starts);
    }

    [Fact]
    public async Task Start_SameObserverFromAnotherGateway_RefusedAsLive()
    {
        var session = await StartedAsync();

        var result = await session.StartAsync(StartMessage(), _observer, _observer.Id, new SocketOrigin("gw-2", _observer.SocketId), default);

        Assert.Equal(StartRefusal.StreamLive, result.Refusal);
        Assert.Empty(_observer.Closes);
    }

    [Fact]
    public async Task Start_SameObserverAndGatewayAgain_IdempotentWithoutClose()
    {
        var session = await StartedAsync();

        var result = await session.StartAsync(StartMessage(), _observer, _observer.Id, new SocketOrigin("gw-1", _observer.SocketId), default);

        Assert.True(result.Accepted);
        Assert.Equal("already attached", result.Reason);
        Assert.Empty(_observer.Closes);
        Assert.Equal(StartRefusal.None, result.Refusal);
        Assert.Equal(1, _app.Handler.Starts);
    }

    [Fact]
    public async Task Start_ApplicationThrows_FailsWithServerErrorAndCloses1011()
    {
        _app.ThrowOnCreate = true;
        var session = NewSession();

        var result = await session.StartAsync(StartMessage(), _observer, _observer.Id, new SocketOrigin("gw-1", _observer.SocketId), default);

        Assert.False(result.Accepted);
        Assert.Equal(ConnectionState.Failed, session.State);
        Assert.Equal(ConnectionErrorCode.ServerError, session.Error);
        Assert.Equal(1011, Assert.Single(_observer.Closes).CloseStatus);
    }

    [Fact]
    public async Task Start_Fresh_ConnectsCreatesHandlerAndLogsStateChange()
    {
        var session = NewSession();

        var result = await session.StartAsync(StartMessage(), _observer, _observer.Id, new SocketOrigin("gw-1", _observer.SocketId), default);

        Assert.True(result.Accepted);
        Assert.Equal(ConnectionState.Connected, session.State);
        Assert.Equal(1, _app.Handler.Starts);
        Assert.Equal("CA1", session.GetSnapshot().CallSid);
        var entry = Assert.Single(_logger.Entries, e => e.Id.Id == 2000);
        Assert.Contains(entry.State, kv => kv.Key == "ConnectionId" && Equals(kv.Value, Sid));
        Assert.Contains(entry.State, kv => kv.Key == "From" && Equals(kv.Value, ConnectionState.Connecting));
        Assert.Contains(entry.State, kv => kv.Key == "To" && Equals(kv.Value, ConnectionState.Connected));
        Assert.Contains(entry.State, kv => kv.Key == "Error");
    }

    [Fact]
    public async Task DetachObserver_ThenStart_ReconnectsWithoutNewHandler()
    {
        var session = await StartedAsync();

        Assert.True(session.DetachObserver());
        Assert.Equal(ConnectionState.Reconnecting, session.State);
        Assert.False(session.SendMedia(new byte[8]).Accepted);
        var again = new RecordingObserver();
        var result = await session.StartAsync(StartMessage(), again, again.Id, new SocketOrigin("gw-3", again.SocketId), default);

        Assert.True(result.Accepted);
        Assert.Equal(ConnectionState.Connected, session.State);
        Assert.Single(_app.Handlers);
        Assert.True(session.SendMedia(new byte[8]).Accepted);
        Assert.Single(again.Frames);
    }

    [Fact]
    public async Task DetachObserver_BeforeStart_IllegalAndCounted()
    {
        var session = NewSession();

        Assert.False(session.DetachObserver());
        Assert.Equal(1, session.IllegalTransitions);
    }

    // ---- inbound ----

    [Fact]
    public async Task OnMedia_AfterFinalState_IgnoredAndCounted()
    {
        var session = await StartedAsync();
        await session.SocketClosedAsync(new SocketClosure(1000, "bye"), default);

        await session.OnMediaAsync(Media(), default);

        Assert.Equal(1, session.IgnoredAfterEnd);
        Assert.Empty(_app.Handler.Media);
        Assert.Equal(0, session.GetSnapshot().MediaReceived);
    }

    [Fact]
    public async Task OnMedia_HandlerThrows_CountedLoggedAndStreamContinues()
    {
        var session = await StartedAsync();
        _app.Handler.ThrowOnMedia = true;

        await session.OnMediaAsync(Media(), default);
        _app.Handler.ThrowOnMedia = false;
        await session.OnMediaAsync(Media(), default);

        Assert.Equal(1, session.HandlerFaults);
        Assert.Equal(1, _logger.Count(2008));
        Assert.Single(_app.Handler.Media);
        Assert.Equal(ConnectionState.Connected, session.State);
    }

    [Fact]
    public async Task OnMedia_GapsDuplicatesAndReordering_AppearInSnapshot()
    {
        var session = await StartedAsync();

        foreach (var n in new long[] { 2, 3, 6, 4, 4, 7 })
        {
            await session.OnMediaAsync(Media(n), default);
        }

        var snapshot = session.GetSnapshot();
        Assert.Equal(2, snapshot.SequenceGaps);
        Assert.Equal(1, snapshot.Reordered);
        Assert.Equal(1, snapshot.Duplicates);
        Assert.Equal(7, snapshot.LastSequenceNumber);
        Assert.Equal(6, snapshot.MediaReceived);
    }

    [Fact]
    public async Task OnMarkAndDtmf_ShareTheSequenceCounter_NoFalseGaps()
    {
        var session = await StartedAsync();

        await session.OnMediaAsync(Media(2), default);
        await session.OnDtmfAsync(new DtmfEvent(3, "5"), default);
        await session.OnMarkAsync(new MarkEcho(4, "none"), default);
        await session.OnMediaAsync(Media(5), default);

        Assert.Equal(0, session.GetSnapshot().SequenceGaps);
        Assert.Equal("5", Assert.Single(_app.Handler.Dtmf).Digit);
        Assert.Equal(1, session.UnexpectedMarkEchoes);
        Assert.Empty(_app.Handler.Marks);
    }

    // ---- rate limit ----

    [Fact]
    public async Task OnMedia_OverBurst_DroppedCountedAndLoggedOncePerEpisode()
    {
        var session = await StartedAsync(new ConnectionGrainOptions { RateLimitPerSecond = 10, RateLimitBurst = 5 });

        for (var i = 0; i < 8; i++)
        {
            await session.OnMediaAsync(Media(), default);
        }

        Assert.Equal(5, _app.Handler.Media.Count);
        Assert.Equal(3, session.GetSnapshot().RateLimited);
        Assert.Equal(8, session.GetSnapshot().MediaReceived);
        Assert.Equal(1, _logger.Count(2002));
        Assert.Equal(ConnectionState.Connected, session.State);
    }

    [Fact]
    public async Task OnMedia_SustainedOverLimit_Closes1008RateLimitAndFails()
    {
        var session = await StartedAsync(new ConnectionGrainOptions { RateLimitPerSecond = 100, RateLimitBurst = 200 });

        // 200 messages/s against a 100/s limit: half of them are dropped, continuously.
        for (var i = 0; i < 2000 && session.State == ConnectionState.Connected; i++)
        {
            await session.OnMediaAsync(Media(), default);
            _time.Advance(TimeSpan.FromMilliseconds(5));
        }

        Assert.Equal(ConnectionState.Failed, session.State);
        Assert.Equal(ConnectionErrorCode.RateLimit, session.Error);
        var close = Assert.Single(_observer.Closes);
        Assert.Equal(1008, close.CloseStatus);
        Assert.Equal(ConnectionErrorCode.RateLimit, close.Error);
        Assert.Equal([ConnectionErrorCode.RateLimit], _app.Handler.Stops);
        Assert.Equal(1, _logger.Count(2002));
        Assert.Equal(1, _logger.Count(2003));
    }

    [Fact]
    public async Task OnMedia_ShortBurstsSeparatedByQuiet_NeverClose()
    {
        var session = await StartedAsync(new ConnectionGrainOptions { RateLimitPerSecond = 100, RateLimitBurst = 10 });

        for (var episode = 0; episode < 10; episode++)
        {
            for (var i = 0; i < 20; i++)
            {
                await session.OnMediaAsync(Media(), default);
            }

            _time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(ConnectionState.Connected, session.State);
        Assert.Empty(_observer.Closes);
        Assert.Equal(10, _logger.Count(2002));
    }

    [Fact]
    public async Task OnMedia_AtTwilioRateWithBothTracks_NoDrops()
    {
        var session = await StartedAsync();

        for (var i = 0; i < 1000; i++)
        {
            await session.OnMediaAsync(Media(), default);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(0, session.GetSnapshot().RateLimited);
        Assert.Equal(1000, _app.Handler.Media.Count);
    }

    // ---- heartbeat and retention ----

    [Fact]
    public async Task Tick_NoInboundForHeartbeatTimeout_ClosesAsConnectionTimeout()
    {
        var session = await StartedAsync();
        _time.Advance(TimeSpan.FromSeconds(9));
        await session.OnMediaAsync(Media(), default);
        _time.Advance(TimeSpan.FromSeconds(9.5));
        Assert.Equal(SessionTick.None, await session.TickAsync(default));

        _time.Advance(TimeSpan.FromSeconds(0.5));
        var tick = await session.TickAsync(default);

        Assert.Equal(SessionTick.HeartbeatTimedOut, tick);
        Assert.Equal(ConnectionState.Disconnected, session.State);
        Assert.Equal(ConnectionErrorCode.ConnectionTimeout, session.Error);
        var close = Assert.Single(_observer.Closes);
        Assert.Equal(1000, close.CloseStatus);
        Assert.Equal(ConnectionErrorCode.ConnectionTimeout, close.Error);
        Assert.Equal([ConnectionErrorCode.ConnectionTimeout], _app.Handler.Stops);
        Assert.Equal(1, _logger.Count(2004));
    }

    [Fact]
    public async Task Tick_BeforeStart_NeverTimesOut()
    {
        var session = NewSession();
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(SessionTick.None, await session.TickAsync(default));
        Assert.Equal(ConnectionState.Connecting, session.State);
    }

    [Fact]
    public async Task Tick_FinalState_RetentionElapsesAfterPeriod()
    {
        var session = await StartedAsync(new ConnectionGrainOptions { RetentionPeriod = TimeSpan.FromSeconds(30) });
        await session.StopAsync(new StreamStop(NextSeq(), "AC", "CA1"), default);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(SessionTick.None, await session.TickAsync(default));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(SessionTick.RetentionElapsed, await session.TickAsync(default));
        var close = Assert.Single(_observer.Closes); // the stop's own close; retention adds none
        Assert.Equal(ConnectionSession.StoppedReason, close.Reason);
    }

    // ---- endings ----

    [Fact]
    public async Task SocketClosed_WithoutCloseCode_FailsWithNetworkFailure()
    {
        var session = await StartedAsync();

        await session.SocketClosedAsync(new SocketClosure(null, "connection reset"), default);

        Assert.Equal(ConnectionState.Failed, session.State);
        Assert.Equal(ConnectionErrorCode.NetworkFailure, session.Error);
        Assert.Equal([ConnectionErrorCode.NetworkFailure], _app.Handler.Stops);
        Assert.Empty(_observer.Closes);
    }

    [Fact]
    public async Task SocketClosed_Twice_SecondIgnored()
    {
        var session = await StartedAsync();

        await session.SocketClosedAsync(new SocketClosure(1000, "bye"), default);
        await session.SocketClosedAsync(new SocketClosure(null, "late"), default);

        Assert.Equal(ConnectionState.Disconnected, session.State);
        Assert.Equal(ConnectionErrorCode.None, session.Error);
        Assert.Single(_app.Handler.Stops);
        Assert.Equal(1, session.IgnoredAfterEnd);
    }

    [Fact]
    public async Task SocketClosed_HandlerSendsOnStop_Refused()
    {
        var session = await StartedAsync();
        _app.Handler.SendOnStopEnabled = true;

        await session.SocketClosedAsync(new SocketClosure(1001, "going away"), default);

        Assert.False(_app.Handler.SendOnStop!.Accepted);
        Assert.Empty(_observer.Frames);
    }

    [Fact]
    public async Task Stop_HandlerSendsOnStop_AcceptedThenDisconnected()
    {
        var session = await StartedAsync();
        _app.Handler.SendOnStopEnabled = true;

        await session.StopAsync(new StreamStop(NextSeq(), "AC", "CA1"), default);

        Assert.True(_app.Handler.SendOnStop!.Accepted);
        Assert.Single(_observer.Frames);
        Assert.Equal(ConnectionState.Disconnected, session.State);

        // The close follows the flushed audio through the same observer, so the gateway writes the audio first.
        Assert.IsType<OutboundFrame>(_observer.Calls[^2]);
        var close = Assert.IsType<CloseInstruction>(_observer.Calls[^1]);
        Assert.Equal((ConnectionSession.NormalClosure, ConnectionErrorCode.None), (close.CloseStatus, close.Error));
        Assert.Equal(ConnectionErrorCode.None, session.Error);
    }

    // ---- outbound ----

    [Fact]
    public async Task SendMedia_BeforeStart_RefusedAsValue()
    {
        var session = NewSession();

        var result = session.SendMedia(new byte[160]);

        Assert.False(result.Accepted);
        Assert.NotNull(result.Error);
        Assert.Equal(1, session.OutboundRejected);
    }

    [Fact]
    public async Task SendMedia_OverMaxBufferedAudio_RefusedNothingSentBufferedUnchanged()
    {
        var session = await StartedAsync(new ConnectionGrainOptions { MaxBufferedAudio = TimeSpan.FromMilliseconds(100) });
        Assert.True(session.SendMedia(new byte[720]).Accepted);

        var result = session.SendMedia(new byte[160]);

        Assert.False(result.Accepted);
        Assert.Equal(90, result.BufferedMs);
        Assert.Contains("outbound queue full", result.Error, StringComparison.Ordinal);
        Assert.Single(_observer.Frames);
        Assert.Equal(90, session.GetSnapshot().BufferedOutboundMs);
        Assert.Equal(1, session.GetSnapshot().OutboundRejected);
    }

    [Fact]
    public async Task SendMediaMarkClear_PushedInOrderWithCopiedPayload()
    {
        var session = await StartedAsync();
        var audio = new byte[] { 1, 2, 3 };

        session.SendMedia(audio);
        audio[0] = 99;
        session.SendMark("m1");
        session.Clear();

        Assert.Equal([OutboundKind.Media, OutboundKind.Mark, OutboundKind.Clear], _observer.Frames.Select(f => f.Kind));
        Assert.Equal(new byte[] { 1, 2, 3 }, _observer.Frames[0].Payload);
        Assert.Equal("m1", _observer.Frames[1].MarkName);
    }

    [Fact]
    public async Task OnMark_AfterClear_HandlerToldClearedNotPlayed()
    {
        var session = await StartedAsync();
        session.SendMedia(new byte[800]);
        session.SendMark("a");
        session.SendMedia(new byte[800]);
        session.SendMark("b");

        session.Clear();
        await session.OnMarkAsync(new MarkEcho(NextSeq(), "a"), default);
        await session.OnMarkAsync(new MarkEcho(NextSeq(), "b"), default);

        Assert.Equal([("a", MarkOutcome.Cleared), ("b", MarkOutcome.Cleared)], _app.Handler.Marks);
        var snapshot = session.GetSnapshot();
        Assert.Equal(0, snapshot.MarksPlayed);
        Assert.Equal(2, snapshot.MarksCleared);
        Assert.Equal(0, snapshot.PendingMarks);
        Assert.Equal(0, snapshot.BufferedOutboundMs);
    }

    [Fact]
    public async Task OnMark_Played_ReleasesBufferedAudio()
    {
        var session = await StartedAsync();
        session.SendMedia(new byte[800]);
        session.SendMark("a");
        session.SendMedia(new byte[400]);

        await session.OnMarkAsync(new MarkEcho(NextSeq(), "a"), default);

        Assert.Equal([("a", MarkOutcome.Played)], _app.Handler.Marks);
        Assert.Equal(50, session.GetSnapshot().BufferedOutboundMs);
        Assert.Equal(1, session.GetSnapshot().MarksPlayed);
    }

    [Fact]
    public async Task OnMark_EchoSkipsPendingMark_HandlerToldAboutBothInOrder()
    {
        var session = await StartedAsync();
        session.SendMedia(new byte[80]);
        session.SendMark("a");
        session.Clear();
        session.SendMedia(new byte[80]);
        session.SendMark("b");
        session.SendMedia(new byte[80]);

        await session.OnMarkAsync(new MarkEcho(NextSeq(), "b"), default);

        Assert.Equal([("a", MarkOutcome.Cleared), ("b", MarkOutcome.Played)], _app.Handler.Marks);
        Assert.Equal(1, session.UnexpectedMarkEchoes);
        Assert.Equal(10, session.GetSnapshot().BufferedOutboundMs);
        Assert.Equal(1, _logger.Count(2007));
    }

    [Fact]
    public async Task ReportRoundTrip_OverThreshold_LoggedAndRecorded()
    {
        var session = await StartedAsync();

        session.ReportRoundTrip(150);
        session.ReportRoundTrip(250);
        session.ReportRoundTrip(double.NaN);

        Assert.Equal(1, _logger.Count(2005));
        Assert.Equal(250, session.GetSnapshot().LastRoundTripMs);
    }

    private ConnectionSession NewSession(ConnectionGrainOptions? options = null)
        => new(Sid, options ?? new ConnectionGrainOptions(), _time, _app, new ConnectionInstruments(new TestMeterFactory()), _logger);

    private async Task<ConnectionSession> StartedAsync(ConnectionGrainOptions? options = null, string? remoteAddress = null)
    {
        var session = NewSession(options);
        var result = await session.StartAsync(StartMessage(), _observer, _observer.Id, new SocketOrigin("gw-1", _observer.SocketId, remoteAddress), default);
        Assert.True(result.Accepted);
        return session;
    }

    private static StreamStart StartMessage()
        => new(Sid, "AC1", "CA1", ["inbound"], new MediaFormat("audio/x-mulaw", 8000, 1), new Dictionary<string, string>(), 1);

    private long NextSeq() => ++_seq;

    private InboundMedia Media(long? sequenceNumber = null)
    {
        var n = sequenceNumber ?? NextSeq();
        return new InboundMedia(n, "inbound", n, n * 20, new byte[160]);
    }
}
