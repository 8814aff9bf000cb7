using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Grains.Applications;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Tests.Fakes;
using Switchboard.Runtime;
using Switchboard.Runtime.Hosting;
using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Storage;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Grains.Tests.Connection;

/// <summary>
/// The connection grain's checkpoint on the real runtime: real codecs (the observer reference is stored and rebuilt),
/// turns, grain timers on fake time. The activation is ended while the call runs; the next call creates a new activation
/// that must continue from the shared grain store.
/// </summary>
public sealed class ConnectionGrainFailoverTests(ITestOutputHelper output)
{
    private const string StreamSid = "MZ00000000000000000000000000000005";

    // ---- failure cases ----

    [Fact]
    public async Task Restore_LastWriteFailed_ContinuesFromThePeriodicCheckpointAndCountsTheLostNumbersAsGaps()
    {
        var storage = new FlakyGrainStorage();
        var application = new CountingApplication();
        await using var silo = await StartSiloAsync(storage, application);
        var observer = new ChannelObserver();
        var grain = silo.GrainFactory.GetGrain<IConnectionGrain>(StreamSid);
        Assert.True((await grain.Start(NewStart(), silo.GrainFactory.CreateObjectReference<IConnectionObserver>(observer), "gw-1")).Accepted);
        for (var seq = 2; seq <= 4; seq++)
        {
            await grain.OnMedia(Media(seq));
        }

        // One heartbeat tick writes the periodic checkpoint (sequence 4).
        var writes = storage.Writes;
        silo.Time.Advance(TimeSpan.FromSeconds(1));
        await silo.WaitQuiescentAsync(IdOf(grain));
        Assert.Equal(writes + 1, storage.Writes);

        // Then the store goes down: 5 and 6 are processed, but neither the tick nor the deactivation can store them.
        await grain.OnMedia(Media(5));
        await grain.OnMedia(Media(6));
        storage.FailWrites = true;
        silo.Time.Advance(TimeSpan.FromSeconds(1));
        await silo.WaitQuiescentAsync(IdOf(grain));
        Assert.Equal(1, storage.FailedWrites);
        Assert.Equal(6, (await grain.GetSnapshot()).LastSequenceNumber);
        Assert.True(await silo.DeactivateAsync(IdOf(grain)));
        storage.FailWrites = false;

        var restored = await grain.GetSnapshot();

        Assert.Equal(2, application.Created);
        Assert.Equal((ConnectionState.Connected, 4L, 3L), (restored.State, restored.LastSequenceNumber, restored.MediaReceived));
        await grain.OnMedia(Media(7));
        var after = await grain.GetSnapshot();
        Assert.Equal((7L, 2L), (after.LastSequenceNumber, after.SequenceGaps));
    }

    // ---- normal operation ----

    [Fact]
    public Task Deactivate_LiveCall_NewActivationContinuesTheCallFromTheSharedStore()
    {
        var storage = new InMemoryGrainStorage();
        return LiveCallContinuesAfterDeactivationAsync(storage, () => Task.FromResult(storage.Count));
    }

    [Fact]
    public async Task Deactivate_LiveCallOnPostgres_NewActivationContinuesTheCallFromTheDatabase()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("connection_failover");
        await using var storage = new PostgresGrainStorage(connectionString, "failover-test", NullLogger<PostgresGrainStorage>.Instance);
        await storage.InitializeAsync(default);

        await LiveCallContinuesAfterDeactivationAsync(storage,
            async () => await storage.ReadAsync(new GrainId("connection", StreamSid), ConnectionGrain.StateName, default) is null ? 0 : 1);
    }

    private async Task LiveCallContinuesAfterDeactivationAsync(IGrainStorage storage, Func<Task<int>> storedRecords)
    {
        var application = new CountingApplication();
        await using var silo = await StartSiloAsync(storage, application);
        var observer = new ChannelObserver();
        var grain = silo.GrainFactory.GetGrain<IConnectionGrain>(StreamSid);
        var reference = silo.GrainFactory.CreateObjectReference<IConnectionObserver>(observer);
        Assert.True((await grain.Start(NewStart(), reference, "gw-1")).Accepted);

        // 9 frames of 160 B: the echo handler sends 3 chunks of 480 B, each followed by a mark (echo-1..3).
        for (var seq = 2; seq <= 10; seq++)
        {
            await grain.OnMedia(Media(seq));
        }

        await TestWait.UntilAsync(() => observer.Marks.Count == 3, "three echo marks at the observer", () => $"{observer.Marks.Count} marks");
        await grain.OnMark(new MarkEcho(11, "echo-1"));
        var before = await grain.GetSnapshot();
        Assert.Equal((11L, 1L, 2), (before.LastSequenceNumber, before.MarksPlayed, before.PendingMarks));

        Assert.True(await silo.DeactivateAsync(IdOf(grain)));
        Assert.False(silo.HasActivation(IdOf(grain)));
        Assert.Equal(1, await storedRecords());

        // The next call activates the grain again; it restores the call from the store.
        var restored = await grain.GetSnapshot();
        Assert.Equal(2, application.Created);
        Assert.Equal(before with { BufferedOutboundMs = 0 }, restored);

        // A mark sent by the old activation is still resolved when Twilio echoes it.
        await grain.OnMark(new MarkEcho(12, "echo-2"));
        var afterMark = await grain.GetSnapshot();
        Assert.Equal((2L, 1), (afterMark.MarksPlayed, afterMark.PendingMarks));

        // Outbound audio reaches the same observer: the application API and the new echo handler.
        var framesBefore = observer.Frames.Count;
        Assert.True((await grain.EnqueueMedia(new byte[80])).Accepted);
        for (var seq = 13; seq <= 15; seq++)
        {
            await grain.OnMedia(Media(seq));
        }

        await TestWait.UntilAsync(() => observer.Frames.Count >= framesBefore + 3, "the enqueued audio and a new echo chunk with its mark at the observer",
            () => $"{observer.Frames.Count - framesBefore} new frames");
        var newFrames = observer.Frames.Skip(framesBefore).ToArray();
        Assert.Equal(80, newFrames[0].Payload!.Length);
        Assert.Equal(480, newFrames[1].Payload!.Length);
        var snapshot = await grain.GetSnapshot();
        Assert.Equal((15L, 0L, ConnectionState.Connected), (snapshot.LastSequenceNumber, snapshot.SequenceGaps, snapshot.State));

        // The restored activation's heartbeat runs: silence past the limit closes the same socket.
        for (var second = 0; second < 12 && observer.Closes.IsEmpty; second++)
        {
            silo.Time.Advance(TimeSpan.FromSeconds(1));
            await silo.WaitQuiescentAsync(IdOf(grain));
        }

        await TestWait.UntilAsync(() => !observer.Closes.IsEmpty, "the heartbeat close of the restored activation");
        Assert.Equal(ConnectionErrorCode.ConnectionTimeout, Assert.Single(observer.Closes).Error);
    }

    [Fact]
    public async Task Deactivate_EndedCall_RestoredActivationRefusesStartAndClearsTheStoreAfterRetention()
    {
        var storage = new InMemoryGrainStorage();
        await using var silo = await StartSiloAsync(storage, new CountingApplication());
        var observer = new ChannelObserver();
        var grain = silo.GrainFactory.GetGrain<IConnectionGrain>(StreamSid);
        await grain.Start(NewStart(), silo.GrainFactory.CreateObjectReference<IConnectionObserver>(observer), "gw-1");
        await grain.Stop(new StreamStop(2, "AC1", "CA1"));
        Assert.True(await silo.DeactivateAsync(IdOf(grain)));

        var late = await grain.Start(NewStart(), silo.GrainFactory.CreateObjectReference<IConnectionObserver>(new ChannelObserver()), "gw-2");

        Assert.False(late.Accepted);
        Assert.Equal(ConnectionState.Disconnected, late.State);
        Assert.Equal(1, storage.Count);
        for (var second = 0; second < 40 && silo.HasActivation(IdOf(grain)); second++)
        {
            silo.Time.Advance(TimeSpan.FromSeconds(1));
            await silo.WaitQuiescentAsync(IdOf(grain));
        }

        await TestWait.UntilAsync(() => storage.Count == 0 && !silo.HasActivation(IdOf(grain)),
            "the checkpoint cleared and the grain gone after the retention period", () => $"{storage.Count} records, activation {silo.HasActivation(IdOf(grain))}");
    }

    private Task<TestSilo> StartSiloAsync(IGrainStorage storage, ICallApplication application) => TestSilo.StartAsync(
        services =>
        {
            services.AddSwitchboardGrains(new ConfigurationBuilder().Build());
            services.AddSingleton(storage);
            services.AddSingleton(application);
            services.AddGrain<IConnectionGrain, ConnectionGrain>();
        },
        output);

    private static GrainId IdOf(IConnectionGrain grain) => ((GrainReference)(object)grain).GrainId;

    private static StreamStart NewStart() => new(
        StreamSid, "AC1", "CA1", ["inbound"], new MediaFormat("audio/x-mulaw", 8000, 1), new Dictionary<string, string>(), 1);

    private static InboundMedia Media(long seq) => new(seq, "inbound", seq, seq * 20, Enumerable.Repeat((byte)seq, 160).ToArray());

    private sealed class ChannelObserver : IConnectionObserver
    {
        public ConcurrentQueue<OutboundFrame> Frames { get; } = new();

        public ConcurrentQueue<string> Marks { get; } = new();

        public ConcurrentQueue<CloseInstruction> Closes { get; } = new();

        public Task Send(OutboundFrame frame)
        {
            Frames.Enqueue(frame);
            if (frame.Kind == OutboundKind.Mark)
            {
                Marks.Enqueue(frame.MarkName!);
            }

            return Task.CompletedTask;
        }

        public Task Close(CloseInstruction instruction)
        {
            Closes.Enqueue(instruction);
            return Task.CompletedTask;
        }
    }
}
