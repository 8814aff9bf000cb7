using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Grains.Applications;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Tests.Fakes;
using Switchboard.Runtime;
using Switchboard.TestInfrastructure;

namespace Switchboard.Grains.Tests.Connection;

public class ConnectionGrainTests
{
    private const string Sid = "MZ00000000000000000000000000000002";
    private readonly FakeTimeProvider _time = new();
    private readonly FakeGrainContext _context = new(new GrainId("connection", Sid));
    private readonly RecordingObserver _observer = new();
    private readonly FakePersistentStateFactory _states = new();

    [Fact]
    public async Task Start_Refused_RegistersNoTimer()
    {
        var grain = await ActivateAsync();
        await grain.Start(StartMessage(), _observer, "gw-1");
        await grain.Stop(new StreamStop(2, "AC", "CA"));
        _context.Timers.Clear();

        var result = await grain.Start(StartMessage(), new RecordingObserver(), "gw-2");

        Assert.False(result.Accepted);
        Assert.Empty(_context.Timers);
    }

    [Fact]
    public async Task HeartbeatTimer_SilentStream_ClosesWithConnectionTimeoutThenDeactivatesAfterRetention()
    {
        var grain = await ActivateAsync();
        await grain.Start(StartMessage(), _observer, "gw-1");
        var timer = Assert.Single(_context.Timers);
        Assert.Equal(TimeSpan.FromSeconds(1), timer.Options.Period);
        Assert.True(timer.Options.KeepAlive);

        _time.Advance(TimeSpan.FromSeconds(10));
        await timer.FireAsync();

        Assert.Equal(ConnectionErrorCode.ConnectionTimeout, Assert.Single(_observer.Closes).Error);
        Assert.Equal(ConnectionState.Disconnected, (await grain.GetSnapshot()).State);
        Assert.Equal(0, _context.DeactivateRequests);

        _time.Advance(TimeSpan.FromSeconds(30));
        await timer.FireAsync();

        Assert.Equal(1, _context.DeactivateRequests);
        Assert.True(timer.Disposed);
    }

    [Fact]
    public async Task EchoThroughGrain_MediaComesBackToObserverInOrder()
    {
        var grain = await ActivateAsync();
        await grain.Start(StartMessage(), _observer, "gw-1");

        for (var i = 0; i < 3; i++)
        {
            await grain.OnMedia(new InboundMedia(i + 2, "inbound", i + 1, i * 20, Enumerable.Repeat((byte)i, 160).ToArray()));
        }

        var media = Assert.Single(_observer.Frames, f => f.Kind == OutboundKind.Media);
        Assert.Equal(Enumerable.Range(0, 3).SelectMany(i => Enumerable.Repeat((byte)i, 160)), media.Payload!);
        Assert.Equal("echo-1", _observer.Frames.Single(f => f.Kind == OutboundKind.Mark).MarkName);
        var snapshot = await grain.GetSnapshot();
        Assert.Equal(Sid, snapshot.StreamSid);
        Assert.Equal(60, snapshot.BufferedOutboundMs);
        Assert.Equal(1, snapshot.PendingMarks);
    }

    [Fact]
    public async Task EnqueueAndClear_ApplicationApi_RoutesThroughSession()
    {
        var grain = await ActivateAsync();
        await grain.Start(StartMessage(), _observer, "gw-1");

        Assert.True((await grain.EnqueueMedia(new byte[80_000])).Accepted);
        var refused = await grain.EnqueueMedia(new byte[8]);
        Assert.True((await grain.EnqueueMark("end")).Accepted);
        await grain.Clear();
        await grain.OnMark(new MarkEcho(2, "end"));

        Assert.False(refused.Accepted);
        var snapshot = await grain.GetSnapshot();
        Assert.Equal(1, snapshot.MarksCleared);
        Assert.Equal(0, snapshot.MarksPlayed);
        Assert.Equal(1, snapshot.OutboundRejected);
    }

    private async Task<ConnectionGrain> ActivateAsync()
    {
        var grain = new ConnectionGrain(Options.Create(new ConnectionGrainOptions()), _time, new EchoApplication(), new ConnectionInstruments(new TestMeterFactory()), _states, NullLogger<ConnectionGrain>.Instance);
        return await FakeGrainContext.ActivateAsync(grain, _context);
    }

    private static StreamStart StartMessage()
        => new(Sid, "AC1", "CA1", ["inbound"], new MediaFormat("audio/x-mulaw", 8000, 1), new Dictionary<string, string>(), 1);
}
