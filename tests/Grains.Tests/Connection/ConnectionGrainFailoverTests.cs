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
        await grain.Deliver(MediaBatch(observer.SocketId, 1, 9));
        await TestWait.UntilAsync(() => observer.Marks.Count == 3, "three echo chunks with their marks before the stop", () => $"{observer.Marks.Count} marks");
        var host = cluster.HostOf(grain) ?? throw new InvalidOperationException($"{sid} has no activation after its start");

        await cluster.Cluster.StopSiloAsync(host);

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

        // The new activation's handler echoes 10..12 to the same observer, after the old activation's audio.
        await TestWait.UntilAsync(() => observer.Marks.Count == 4, "the survivor's first echo chunk and mark at the same observer",
            () => $"marks {string.Join(",", observer.Marks)}");
        var media = observer.Frames.Where(f => f.Kind == OutboundKind.Media).ToArray();
        Assert.Equal(Enumerable.Range(2, 12).SelectMany(n => Media(n).Payload), media.SelectMany(f => f.Payload!));
        Assert.Equal(["echo-1", "echo-2", "echo-3", "echo-1"], observer.Marks);
        GC.KeepAlive(observer);
    }
}
