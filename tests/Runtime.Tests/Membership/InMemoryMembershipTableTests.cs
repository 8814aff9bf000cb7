using Switchboard.Runtime.Membership;

namespace Switchboard.Runtime.Tests.Membership;

public sealed class InMemoryMembershipTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SiloAddress A = new("10.0.0.1", 11001, 1);
    private static readonly SiloAddress B = new("10.0.0.1", 11002, 1);

    [Fact]
    public async Task Insert_StaleVersion_RejectedAndNothingWritten()
    {
        var table = new InMemoryMembershipTable();
        Assert.True(await table.InsertRowAsync(Row(A), 0, default));

        Assert.False(await table.InsertRowAsync(Row(B), 0, default));

        var snapshot = await table.ReadAllAsync(default);
        Assert.Equal(1, snapshot.Version);
        Assert.Null(snapshot.Find(B));
    }

    [Fact]
    public async Task Insert_ExistingRow_RejectedEvenWithCurrentVersion()
    {
        var table = new InMemoryMembershipTable();
        Assert.True(await table.InsertRowAsync(Row(A), 0, default));

        Assert.False(await table.InsertRowAsync(Row(A) with { Status = SiloStatus.Active }, 1, default));
        Assert.Equal(1, (await table.ReadAllAsync(default)).Version);
    }

    [Fact]
    public async Task Update_MissingRowOrStaleVersion_Rejected()
    {
        var table = new InMemoryMembershipTable();
        Assert.True(await table.InsertRowAsync(Row(A), 0, default));

        Assert.False(await table.UpdateRowAsync(Row(B), 1, default));
        Assert.False(await table.UpdateRowAsync(Row(A) with { Status = SiloStatus.Active }, 0, default));
        Assert.True(await table.UpdateRowAsync(Row(A) with { Status = SiloStatus.Active }, 1, default));

        var snapshot = await table.ReadAllAsync(default);
        Assert.Equal(2, snapshot.Version);
        Assert.Equal(SiloStatus.Active, snapshot.Find(A)!.Status);
    }

    [Fact]
    public async Task Update_OlderIAmAlive_DoesNotMoveHeartbeatBack()
    {
        var table = new InMemoryMembershipTable();
        Assert.True(await table.InsertRowAsync(Row(A), 0, default));
        await table.UpdateIAmAliveAsync(A, Now.AddSeconds(10), default);

        Assert.True(await table.UpdateRowAsync(Row(A) with { SuspectTimes = [new SuspectVote(B, Now)] }, 1, default));

        Assert.Equal(Now.AddSeconds(10), (await table.ReadAllAsync(default)).Find(A)!.IAmAliveTime);
    }

    [Fact]
    public async Task IAmAlive_DoesNotBumpVersion()
    {
        var table = new InMemoryMembershipTable();
        Assert.True(await table.InsertRowAsync(Row(A), 0, default));

        await table.UpdateIAmAliveAsync(A, Now.AddSeconds(5), default);

        var snapshot = await table.ReadAllAsync(default);
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(Now.AddSeconds(5), snapshot.Find(A)!.IAmAliveTime);
    }

    [Fact]
    public async Task Cleanup_DeletesOldNonActiveRowsOnly()
    {
        var table = new InMemoryMembershipTable();
        var old = Row(A) with { Status = SiloStatus.Dead, StartTime = Now.AddDays(-3), IAmAliveTime = Now.AddDays(-3) };
        var oldActive = Row(B) with { Status = SiloStatus.Active, StartTime = Now.AddDays(-3), IAmAliveTime = Now.AddDays(-3) };
        var recentDead = Row(new SiloAddress("10.0.0.1", 11003, 1)) with { Status = SiloStatus.Dead };
        Assert.True(await table.InsertRowAsync(old, 0, default));
        Assert.True(await table.InsertRowAsync(oldActive, 1, default));
        Assert.True(await table.InsertRowAsync(recentDead, 2, default));

        await table.CleanupDefunctEntriesAsync(Now.AddDays(-1), default);

        var snapshot = await table.ReadAllAsync(default);
        Assert.Equal([B, recentDead.Silo], snapshot.Entries.Select(e => e.Silo).OrderBy(s => s.Port));
    }

    [Fact]
    public async Task ConcurrentWriters_SameVersion_ExactlyOneWins()
    {
        var table = new InMemoryMembershipTable();
        var writers = Enumerable.Range(1, 16).Select(i => Task.Run(() => table.InsertRowAsync(Row(new SiloAddress("10.0.0.2", 12000 + i, 1)), 0, default)));

        var results = await Task.WhenAll(writers);

        Assert.Single(results, r => r);
        Assert.Equal(1, (await table.ReadAllAsync(default)).Version);
    }

    private static MembershipEntry Row(SiloAddress silo)
        => new() { Silo = silo, Status = SiloStatus.Joining, SiloName = "s", HostName = "h", StartTime = Now, IAmAliveTime = Now };
}
