using Switchboard.Grains.Tests.Fakes;
using Switchboard.Grains.Tests.Hosting;
using Switchboard.TestInfrastructure;
using static Switchboard.Grains.Tests.Hosting.GrainCallHelpers;

namespace Switchboard.Grains.Tests.Connection;

/// <summary>A live call whose silo stops: two silos, checkpoints in a store both share (as PostgreSQL is in cluster
/// mode), the observer on the cluster client. The next delivery activates the grain on the surviving silo, which
/// continues the call from the checkpoint and reaches the same observer.</summary>
public sealed class ConnectionGrainFailoverTests
{
    [Fact]
    public async Task StopHostingSilo_LiveCall_SurvivorRestoresItAndKeepsDeliveringWithoutReapplyingNumbers()
    {
        await using var cluster = await GrainCluster.StartAsync(CheckpointStorage.Shared, silos: 2);
        var sid = NewStreamSid();
        var grain = cluster.Client.GetGrain<IConnectionGrain>(sid);
        var observer = new RecordingObserver();
        var reference = cluster.Client.CreateObjectReference<IConnectionObserver>(observer);
        Assert.True((await grain.Start(StartOf(sid), reference, "gw-1", observer.SocketId)).Accepted);
        // 8 frames: two echo chunks of 480 B go out, 320 B stay in the handler's buffer.
        await grain.Deliver(MediaBatch(observer.SocketId, 1, 8));
        await TestWait.UntilAsync(() => observer.Marks.Count == 2, "two echo chunks with their marks before the stop", () => $"{observer.Marks.Count} marks");
        var host = cluster.HostOf(grain) ?? throw new InvalidOperationException($"{sid} has no activation after its start");

        await cluster.StopSiloAsync(host);

        // The stopping activation handed the call off: its handler flushed the partial chunk, and the checkpoint says what
        // reached the gateway. Whether that last batch made it out of the stopping silo or not, nothing may be lost
        // or echoed twice: what did not arrive is not acknowledged, so the survivor replays it to its new handler.
        var echoedBeforeStop = observer.Frames.Where(f => f.Kind == OutboundKind.Media).Sum(f => f.Payload!.Length);
        Assert.Contains(echoedBeforeStop, new[] { 960, 1280 });

        // The gateway re-delivers everything it holds, plus what came meanwhile, until a delivery is acknowledged.
        var batch = MediaBatch(observer.SocketId, 1, 12);
        DeliveryAck? ack = null;
        await TestWait.UntilAsync(async () =>
        {
            try
            {
                ack = await grain.Deliver(batch);
                return true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return false;
            }
        }, $"a delivery to {sid} acknowledged after its silo {host.SiloAddress} stopped");

        Assert.True(ack!.Attached);
        var survivor = cluster.HostOf(grain);
        Assert.NotNull(survivor);
        Assert.NotEqual(host.SiloAddress, survivor.SiloAddress);
        var snapshot = await grain.GetSnapshot();
        Assert.Equal((ConnectionState.Connected, 12L, 13L, 0L, 0L),
            (snapshot.State, snapshot.MediaReceived, snapshot.LastSequenceNumber, snapshot.Duplicates, snapshot.SequenceGaps));

        // The survivor's handler echoes the rest to the same observer, after the old activation's audio: all of 2..12 in
        // order, once each (13 may still sit in the new handler's buffer, depending on where the old one stopped).
        var expected = Enumerable.Range(2, 12).SelectMany(n => Media(n).Payload).ToArray();
        byte[] echoed = [];
        await TestWait.UntilAsync(() => (echoed = [.. observer.Frames.Where(f => f.Kind == OutboundKind.Media).SelectMany(f => f.Payload!)]).Length >= 11 * 160,
            "the survivor's echo of the audio not echoed before the stop", () => $"{echoed.Length} B echoed");
        Assert.Equal(expected.Take(echoed.Length), echoed);
        Assert.InRange(echoed.Length, 11 * 160, 12 * 160);
        Assert.Equal(observer.Frames.Count(f => f.Kind == OutboundKind.Media), observer.Marks.Count);
        GC.KeepAlive(observer);
    }
}
