using System.Collections.Concurrent;
using Switchboard.Runtime.Membership;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Membership;

public sealed class MembershipTableReaderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Reader_StoreDownAtStart_RetriesUntilFirstRead()
    {
        await using var cluster = new MembershipTestCluster(output);
        await cluster.StartAsync(2);
        cluster.Store.Down = true;
        var reader = cluster.CreateReader();

        var start = reader.StartAsync(CancellationToken.None);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.False(start.IsCompleted);
        Assert.False(reader.CurrentSnapshot.StoreReachable);
        Assert.Empty(reader.CurrentSnapshot.ActiveSilos);

        cluster.Store.Down = false;
        await cluster.AdvanceUntilAsync(start, TimeSpan.FromSeconds(2), "reader start after the store came back");

        Assert.True(reader.CurrentSnapshot.StoreReachable);
        Assert.Equal(2, reader.CurrentSnapshot.ActiveSilos.Count);
    }

    [Fact]
    public async Task Reader_StartCancelled_ThrowsWhileStoreStaysDown()
    {
        await using var cluster = new MembershipTestCluster(output);
        cluster.Store.Down = true;
        var reader = cluster.CreateReader();
        using var cancellation = new CancellationTokenSource();

        var start = reader.StartAsync(cancellation.Token);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(2));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start);
    }

    [Fact]
    public async Task Reader_StoreOutage_ReachableFalseThenTrueAndViewKept()
    {
        await using var cluster = new MembershipTestCluster(output);
        await cluster.StartAsync(2);
        var reader = cluster.CreateReader();
        await reader.StartAsync(CancellationToken.None);
        var reachability = new ConcurrentQueue<bool>();
        reader.SnapshotChanged += s => reachability.Enqueue(s.StoreReachable);

        cluster.Store.Down = true;
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.False(reader.CurrentSnapshot.StoreReachable);
        Assert.Equal(2, reader.CurrentSnapshot.ActiveSilos.Count);

        cluster.Store.Down = false;
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.True(reader.CurrentSnapshot.StoreReachable);
        Assert.Equal([false, true], reachability);
    }

    [Fact]
    public async Task Reader_SiloDies_DeclaredDeadRaisedOnce()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(2);
        var reader = cluster.CreateReader();
        await reader.StartAsync(CancellationToken.None);
        var dead = new ConcurrentQueue<SiloAddress>();
        reader.SiloDeclaredDead += dead.Enqueue;

        await agents[1].LeaveAsync(CancellationToken.None);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(agents[1].Address, Assert.Single(dead));
        Assert.Equal([agents[0].Address], reader.CurrentSnapshot.ActiveSilos);
        Assert.Empty(reader.CurrentSnapshot.Suspected);
    }

    [Fact]
    public async Task Reader_RowsAlreadyDeadAtFirstRead_RaisedOnceEach()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(3);
        await agents[2].LeaveAsync(CancellationToken.None);
        var reader = cluster.CreateReader();
        var dead = new ConcurrentQueue<SiloAddress>();
        reader.SiloDeclaredDead += dead.Enqueue;

        await reader.StartAsync(CancellationToken.None);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(3));

        Assert.Equal(agents[2].Address, Assert.Single(dead));
    }

    [Fact]
    public async Task Reader_HandlerThrows_OtherHandlersStillCalled()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(2);
        var reader = cluster.CreateReader();
        await reader.StartAsync(CancellationToken.None);
        var calls = 0;
        reader.SnapshotChanged += _ => throw new InvalidOperationException("faulty subscriber (test)");
        reader.SnapshotChanged += _ => Interlocked.Increment(ref calls);

        await agents[1].ShutdownAsync(CancellationToken.None);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(1, calls);
        Assert.Single(reader.CurrentSnapshot.ActiveSilos);
    }
}
