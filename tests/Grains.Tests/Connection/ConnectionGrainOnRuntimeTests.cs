using Xunit.Abstractions;
using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Grains.Connection;
using Switchboard.Runtime;
using Switchboard.Runtime.Hosting;
using Switchboard.TestInfrastructure;

namespace Switchboard.Grains.Tests.Connection;

/// <summary>The connection grain on the real runtime: generated proxies, serialization, turns, grain timers on fake time.</summary>
public sealed class ConnectionGrainOnRuntimeTests(ITestOutputHelper output)
{
    private const string StreamSid = "MZ00000000000000000000000000000001";

    [Fact]
    public async Task Heartbeat_NoInboundAudioPastLimit_ClosesThroughObserverAsConnectionTimeout()
    {
        await using var silo = await StartSiloAsync();
        var observer = new ChannelObserver();
        var reference = silo.GrainFactory.CreateObjectReference<IConnectionObserver>(observer);
        var grain = silo.GrainFactory.GetGrain<IConnectionGrain>(StreamSid);
        Assert.True((await grain.Start(NewStart(), reference, "gw-1")).Accepted);

        // Tick by tick (1 s period), past the 10 s default limit; each tick is a grain turn.
        for (var second = 0; second < 12 && observer.Closes.IsEmpty; second++)
        {
            silo.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
            await grain.GetSnapshot();
        }

        await TestWait.UntilAsync(() => !observer.Closes.IsEmpty, "a close pushed to the observer after the heartbeat limit");
        var close = Assert.Single(observer.Closes);
        Assert.Equal(ConnectionErrorCode.ConnectionTimeout, close.Error);
        var snapshot = await grain.GetSnapshot();
        Assert.Equal((ConnectionState.Disconnected, ConnectionErrorCode.ConnectionTimeout), (snapshot.State, snapshot.Error));
    }

    [Fact]
    public async Task Media_EchoApplication_AudioReturnsInOrderWithMarks()
    {
        await using var silo = await StartSiloAsync();
        var observer = new ChannelObserver();
        var reference = silo.GrainFactory.CreateObjectReference<IConnectionObserver>(observer);
        var grain = silo.GrainFactory.GetGrain<IConnectionGrain>(StreamSid);
        await grain.Start(NewStart(), reference, "gw-1");
        var sent = new List<byte>();

        for (var i = 0; i < 10; i++)
        {
            var payload = Enumerable.Range(0, 160).Select(b => (byte)((b + i * 31) % 256)).ToArray();
            sent.AddRange(payload);
            await grain.OnMedia(new InboundMedia(i + 2, "inbound", i + 1, i * 20, payload));
        }

        await grain.Stop(new StreamStop(12, "AC1", "CA1"));
        await TestWait.UntilAsync(() => !observer.Closes.IsEmpty, "the stop's close after the flushed echo");

        var frames = observer.Frames.ToArray();
        var echoed = frames.Where(f => f.Kind == OutboundKind.Media).SelectMany(f => f.Payload!).ToArray();
        Assert.Equal(sent, echoed);
        Assert.All(frames.Where(f => f.Kind == OutboundKind.Media).SkipLast(1), f => Assert.True(f.Payload!.Length >= 400));
        Assert.Equal(frames.Count(f => f.Kind == OutboundKind.Media), frames.Count(f => f.Kind == OutboundKind.Mark));
        var snapshot = await grain.GetSnapshot();
        Assert.Equal(ConnectionState.Disconnected, snapshot.State);
        Assert.Equal(10, snapshot.MediaReceived);
        Assert.Equal(0, snapshot.SequenceGaps);
    }

    private Task<TestSilo> StartSiloAsync() => TestSilo.StartAsync(
        services =>
        {
            services.AddSwitchboardGrains(new ConfigurationBuilder().Build());
            services.AddGrain<IConnectionGrain, ConnectionGrain>();
        },
        output);

    private static StreamStart NewStart() => new(
        StreamSid, "AC1", "CA1", ["inbound"], new MediaFormat("audio/x-mulaw", 8000, 1), new Dictionary<string, string>(), 1);

    private sealed class ChannelObserver : IConnectionObserver
    {
        public ConcurrentQueue<OutboundFrame> Frames { get; } = new();

        public ConcurrentQueue<CloseInstruction> Closes { get; } = new();

        public Task Send(OutboundFrame frame)
        {
            Frames.Enqueue(frame);
            return Task.CompletedTask;
        }

        public Task Close(CloseInstruction instruction)
        {
            Closes.Enqueue(instruction);
            return Task.CompletedTask;
        }
    }
}
