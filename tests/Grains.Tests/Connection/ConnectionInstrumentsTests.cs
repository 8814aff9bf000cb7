using Microsoft.Extensions.Time.Testing;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Tests.Fakes;
using Switchboard.TestInfrastructure;

namespace Switchboard.Grains.Tests.Connection;

/// <summary>What a stream's session reports to <see cref="ConnectionInstruments"/> (meter <c>Switchboard.Connection</c>),
/// on fake time.</summary>
public sealed class ConnectionInstrumentsTests : IDisposable
{
    private const string Sid = "MZ00000000000000000000000000000002";
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingApplication _app = new();
    private readonly RecordingObserver _observer = new();
    private readonly ListLogger _logger = new();
    private readonly TestMeterFactory _meters = new();
    private readonly MeterRecorder _recorder;

    public ConnectionInstrumentsTests() => _recorder = new MeterRecorder(_meters, ConnectionInstruments.MeterName);

    [Fact]
    public async Task SequenceAnomalies_GapDuplicateReorderedStaleInvalid_CountedByKindAndLoggedOnce()
    {
        var session = await StartedAsync();

        // 4 and 5 skipped (gap of 2), 6 twice (duplicate), 4 late (reordered), 0 (invalid), a jump past the window, then 7 (stale).
        foreach (var n in new long[] { 2, 3, 6, 6, 4, 0, 5000, 7 })
        {
            await session.OnMediaAsync(Media(n), default);
        }

        Assert.Equal(2 + (5000 - 6 - 1), Count("gap"));
        Assert.Equal(1, Count("duplicate"));
        Assert.Equal(1, Count("reordered"));
        Assert.Equal(1, Count("invalid"));
        Assert.Equal(1, Count("stale"));
        Assert.Equal(1, _logger.Count(2011));
        Assert.Equal(8, session.GetSnapshot().MediaReceived);
        Assert.Equal(ConnectionState.Connected, session.State);
    }

    [Fact]
    public async Task SequenceAnomalies_InOrder_NothingCountedNothingLogged()
    {
        var session = await StartedAsync();

        for (long n = 2; n <= 100; n++)
        {
            await session.OnMediaAsync(Media(n), default);
        }

        Assert.Equal(0, _recorder.Total("switchboard.connection.sequence.anomalies"));
        Assert.Equal(0, _logger.Count(2011));
    }

    [Fact]
    public async Task RateLimit_SustainedFlood_DroppedMessagesCountedAndEndCountedAsFailedRateLimit()
    {
        var session = await StartedAsync(new ConnectionGrainOptions { RateLimitPerSecond = 100, RateLimitBurst = 200, SustainedRateLimit = TimeSpan.FromSeconds(1) });
        long n = 1;

        // 400 messages/s against 100/s: once the burst is spent, three of four are dropped, until the stream is closed.
        while (session.State == ConnectionState.Connected && n < 10_000)
        {
            await session.OnMediaAsync(Media(++n), default);
            _time.Advance(TimeSpan.FromMilliseconds(2.5));
        }

        Assert.Equal(ConnectionErrorCode.RateLimit, session.Error);
        Assert.Equal(session.GetSnapshot().RateLimited, _recorder.Total("switchboard.connection.messages.rate_limited"));
        Assert.True(session.GetSnapshot().RateLimited > 0);
        Assert.Equal(1, _recorder.Total("switchboard.connection.ended", "error", "rate_limit"));
        Assert.Equal(1, _recorder.Total("switchboard.connection.ended", "state", "failed"));
    }

    [Fact]
    public async Task Heartbeat_Silence_EndCountedAsDisconnectedConnectionTimeout()
    {
        var session = await StartedAsync();

        _time.Advance(new ConnectionGrainOptions().HeartbeatTimeout);
        await session.TickAsync(default);

        Assert.Equal(1, _recorder.Total("switchboard.connection.ended", "error", "connection_timeout"));
        Assert.Equal(1, _recorder.Total("switchboard.connection.ended", "state", "disconnected"));
        Assert.Equal(0, _recorder.Total("switchboard.connection.ended", "state", "failed"));
    }

    [Fact]
    public async Task Start_SecondSocketWhileLiveAndAfterTheEnd_BothCountedAsRefused()
    {
        var session = await StartedAsync();

        var second = new RecordingObserver();
        var late = new RecordingObserver();

        await session.StartAsync(StartMessage(), second, second.Id, new SocketOrigin("gw-2", second.SocketId), default);
        await session.StopAsync(new StreamStop(2, "AC1", "CA1"), default);
        await session.StartAsync(StartMessage(), late, late.Id, new SocketOrigin("gw-3", late.SocketId), default);

        Assert.Equal(2, _recorder.Total("switchboard.connection.starts.refused"));
        Assert.Equal(1, _recorder.Total("switchboard.connection.ended", "state", "disconnected"));
    }

    public void Dispose()
    {
        _recorder.Dispose();
        _meters.Dispose();
    }

    private long Count(string kind) => _recorder.Total("switchboard.connection.sequence.anomalies", "kind", kind);

    private async Task<ConnectionSession> StartedAsync(ConnectionGrainOptions? options = null)
    {
        var session = new ConnectionSession(Sid, options ?? new ConnectionGrainOptions(), _time, _app, new ConnectionInstruments(_meters), _logger);
        Assert.True((await session.StartAsync(StartMessage(), _observer, _observer.Id, new SocketOrigin("gw-1", _observer.SocketId), default)).Accepted);
        return session;
    }

    private static StreamStart StartMessage()
        => new(Sid, "AC1", "CA1", ["inbound"], new MediaFormat("audio/x-mulaw", 8000, 1), new Dictionary<string, string>(), 1);

    private static InboundMedia Media(long n) => new(n, "inbound", n, n * 20, new byte[160]);
}
