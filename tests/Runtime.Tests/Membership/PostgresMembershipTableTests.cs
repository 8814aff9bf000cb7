using Npgsql;
using Switchboard.Runtime.Membership;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Membership;

/// <summary>The PostgreSQL membership table against a real server (a fresh database per test).</summary>
public sealed class PostgresMembershipTableTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SiloAddress A = new("10.0.0.1", 11001, 1);
    private static readonly SiloAddress B = new("10.0.0.1", 11002, 1);

    private readonly List<PostgresMembershipTable> _tables = [];
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        _connectionString = await server.CreateDatabaseAsync("membership");
    }

    public async Task DisposeAsync()
    {
        foreach (var table in _tables)
        {
            await table.DisposeAsync();
        }
    }

    [Fact]
    public async Task Insert_StaleVersion_RejectedAndNothingWritten()
    {
        var table = await CreateAsync("c1");
        Assert.True(await table.InsertRowAsync(Row(A), 0, default));

        Assert.False(await table.InsertRowAsync(Row(B), 0, default));

        var snapshot = await table.ReadAllAsync(default);
        Assert.Equal(1, snapshot.Version);
        Assert.Equal([A], snapshot.Entries.Select(e => e.Silo));
    }

    [Fact]
    public async Task Insert_ExistingRow_RejectedAndVersionBumpRolledBack()
    {
        var table = await CreateAsync("c1");
        Assert.True(await table.InsertRowAsync(Row(A), 0, default));

        Assert.False(await table.InsertRowAsync(Row(A) with { Status = SiloStatus.Active }, 1, default));

        var snapshot = await table.ReadAllAsync(default);
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(SiloStatus.Joining, snapshot.Find(A)!.Status);
    }

    [Fact]
    public async Task Update_StaleVersionOrMissingRow_RejectedAndVersionUnchanged()
    {
        var table = await CreateAsync("c1");
        Assert.True(await table.InsertRowAsync(Row(A), 0, default));

        Assert.False(await table.UpdateRowAsync(Row(A) with { Status = SiloStatus.Active }, 0, default));
        Assert.False(await table.UpdateRowAsync(Row(B), 1, default));
        Assert.Equal(1, (await table.ReadAllAsync(default)).Version);

        Assert.True(await table.UpdateRowAsync(Row(A) with { Status = SiloStatus.Active }, 1, default));
        var snapshot = await table.ReadAllAsync(default);
        Assert.Equal(2, snapshot.Version);
        Assert.Equal(SiloStatus.Active, snapshot.Find(A)!.Status);
    }

    [Fact]
    public async Task ConcurrentWriters_SameVersion_ExactlyOneWins()
    {
        var table = await CreateAsync("c1");

        var results = await Task.WhenAll(Enumerable.Range(1, 10)
            .Select(i => Task.Run(() => table.InsertRowAsync(Row(new SiloAddress("10.0.0.2", 12000 + i, 1)), 0, default))));

        Assert.Single(results, r => r);
        var snapshot = await table.ReadAllAsync(default);
        Assert.Equal(1, snapshot.Version);
        Assert.Single(snapshot.Entries);
    }

    [Fact]
    public async Task UpdateIAmAlive_WritesTimeWithoutVersionBump()
    {
        var table = await CreateAsync("c1");
        Assert.True(await table.InsertRowAsync(Row(A), 0, default));

        await table.UpdateIAmAliveAsync(A, Now.AddSeconds(5), default);

        var snapshot = await table.ReadAllAsync(default);
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(Now.AddSeconds(5), snapshot.Find(A)!.IAmAliveTime);
    }

    [Fact]
    public async Task Update_OlderIAmAlive_DoesNotMoveHeartbeatBack()
    {
        var table = await CreateAsync("c1");
        Assert.True(await table.InsertRowAsync(Row(A), 0, default));
        await table.UpdateIAmAliveAsync(A, Now.AddSeconds(10), default);

        Assert.True(await table.UpdateRowAsync(Row(A) with { Status = SiloStatus.Active }, 1, default));

        Assert.Equal(Now.AddSeconds(10), (await table.ReadAllAsync(default)).Find(A)!.IAmAliveTime);
    }

    [Fact]
    public async Task SuspectTimes_RoundTrip()
    {
        var table = await CreateAsync("c1");
        var votes = new[] { new SuspectVote(B, Now.AddMilliseconds(123)), new SuspectVote(new SiloAddress("fe80::2", 11003, 9), Now.AddSeconds(1)) };
        Assert.True(await table.InsertRowAsync(Row(A) with { SuspectTimes = votes }, 0, default));

        var row = (await table.ReadAllAsync(default)).Find(A)!;

        Assert.Equal(votes, row.SuspectTimes);
        Assert.Equal(Row(A) with { SuspectTimes = row.SuspectTimes }, row);
    }

    [Fact]
    public async Task Cleanup_DeletesOldNonActiveRowsAndKeepsActiveOnes()
    {
        var table = await CreateAsync("c1");
        var old = Now.AddDays(-3);
        var recentDead = new SiloAddress("10.0.0.1", 11003, 1);
        Assert.True(await table.InsertRowAsync(Row(A) with { Status = SiloStatus.Dead, StartTime = old, IAmAliveTime = old }, 0, default));
        Assert.True(await table.InsertRowAsync(Row(B) with { Status = SiloStatus.Active, StartTime = old, IAmAliveTime = old }, 1, default));
        Assert.True(await table.InsertRowAsync(Row(recentDead) with { Status = SiloStatus.Dead }, 2, default));

        await table.CleanupDefunctEntriesAsync(Now.AddDays(-1), default);

        var snapshot = await table.ReadAllAsync(default);
        Assert.Equal([B, recentDead], snapshot.Entries.Select(e => e.Silo).OrderBy(s => s.Port));
    }

    [Fact]
    public async Task TwoClusterIds_SameDatabase_Isolated()
    {
        var blue = await CreateAsync("blue");
        var green = await CreateAsync("green");
        Assert.True(await blue.InsertRowAsync(Row(A), 0, default));
        Assert.True(await blue.InsertRowAsync(Row(B), 1, default));

        // Same silo identity in the other cluster: its own version, its own rows.
        Assert.True(await green.InsertRowAsync(Row(A) with { Status = SiloStatus.Active }, 0, default));
        await green.CleanupDefunctEntriesAsync(Now.AddDays(1), default);

        var blueSnapshot = await blue.ReadAllAsync(default);
        var greenSnapshot = await green.ReadAllAsync(default);
        Assert.Equal(2, blueSnapshot.Version);
        Assert.Equal(2, blueSnapshot.Entries.Count);
        Assert.Equal(SiloStatus.Joining, blueSnapshot.Find(A)!.Status);
        Assert.Equal(1, greenSnapshot.Version);
        Assert.Equal(SiloStatus.Active, Assert.Single(greenSnapshot.Entries).Status);
    }

    [Fact]
    public async Task Initialize_TwiceAndConcurrently_Idempotent()
    {
        var tables = Enumerable.Range(0, 8).Select(i => Create(i % 2 == 0 ? "same" : $"c{i}")).ToList();

        await Task.WhenAll(tables.Select(t => Task.Run(() => t.InitializeAsync(default))));
        await tables[0].InitializeAsync(default);
        Assert.True(await tables[0].InsertRowAsync(Row(A), 0, default));
        await tables[2].InitializeAsync(default);

        var snapshot = await tables[2].ReadAllAsync(default);
        Assert.Equal(1, snapshot.Version);
        Assert.Single(snapshot.Entries);
    }

    [Fact]
    public async Task ReadAll_BeforeInitialize_ThrowsStoreError()
        => await Assert.ThrowsAsync<PostgresException>(() => Create("c1").ReadAllAsync(default));

    [Fact]
    public void SchemaScript_IsEmbedded()
    {
        var script = PostgresMembershipTable.LoadSchemaScript();

        Assert.Contains("CREATE TABLE IF NOT EXISTS switchboard_membership_version", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE IF NOT EXISTS switchboard_membership\n", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agents_OnPostgres_KilledPeerDeclaredDeadWithin5Seconds()
    {
        await using var cluster = new MembershipTestCluster(output);
        var store = new FlakyMembershipTable(await CreateAsync("agents"));
        var agents = new List<MembershipAgent>();
        foreach (var index in new[] { 1, 2, 3 })
        {
            var agent = cluster.CreateAgent(MembershipTestCluster.Address(index), store);
            await agent.JoinAsync(default);
            agents.Add(agent);
        }

        await cluster.AdvanceAsync(TimeSpan.FromSeconds(1));
        await agents[2].DisposeAsync();
        cluster.Network.Set(agents[2].Address, ProbeBehavior.Refuse);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(5));

        var table = await store.ReadAllAsync(default);
        Assert.Equal(SiloStatus.Dead, table.Find(agents[2].Address)!.Status);
        Assert.Equal(2, table.Find(agents[2].Address)!.SuspectTimes.Count);
        Assert.Equal(SiloStatus.Dead, agents[0].CurrentSnapshot.GetStatus(agents[2].Address));
        Assert.Equal(SiloStatus.Dead, agents[1].CurrentSnapshot.GetStatus(agents[2].Address));
    }

    private PostgresMembershipTable Create(string clusterId)
    {
        var table = new PostgresMembershipTable(_connectionString, clusterId);
        _tables.Add(table);
        return table;
    }

    private async Task<PostgresMembershipTable> CreateAsync(string clusterId)
    {
        var table = Create(clusterId);
        await table.InitializeAsync(default);
        return table;
    }

    private static MembershipEntry Row(SiloAddress silo)
        => new() { Silo = silo, Status = SiloStatus.Joining, SiloName = $"silo{silo.Port}", HostName = "host", StartTime = Now, IAmAliveTime = Now };
}
