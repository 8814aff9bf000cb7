using System.Collections.Concurrent;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Membership;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Membership;

public sealed class MembershipAgentTests(ITestOutputHelper output)
{
    private static readonly TimeSpan FiveSeconds = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(ProbeBehavior.Refuse)]
    [InlineData(ProbeBehavior.Hang)]
    public async Task Agent_PeerKilled_DeclaredDeadClusterWideWithin5Seconds(ProbeBehavior failure)
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(3);
        var (a, b, c) = (agents[0], agents[1], agents[2]);
        var gateway = cluster.CreateReader();
        await gateway.StartAsync(CancellationToken.None);
        var killedAt = cluster.Time.GetUtcNow();
        var seenDead = new ConcurrentDictionary<string, (TimeSpan At, int Count)>();
        void Observe(string observer, SiloAddress silo)
        {
            if (silo == c.Address)
            {
                seenDead.AddOrUpdate(observer, _ => (cluster.Time.GetUtcNow() - killedAt, 1), (_, v) => (v.At, v.Count + 1));
            }
        }

        a.SiloDeclaredDead += s => Observe("A", s);
        b.SiloDeclaredDead += s => Observe("B", s);
        gateway.SiloDeclaredDead += s => Observe("gateway", s);

        // SIGKILL: the process is gone (no more writes) and its endpoint refuses or swallows probes.
        await c.DisposeAsync();
        cluster.Network.Set(c.Address, failure);

        await cluster.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(SiloStatus.Active, (await cluster.RowAsync(c.Address)).Status);

        await cluster.AdvanceAsync(FiveSeconds - TimeSpan.FromSeconds(1));

        var row = await cluster.RowAsync(c.Address);
        Assert.Equal(SiloStatus.Dead, row.Status);
        Assert.Equal(new[] { a.Address, b.Address }.OrderBy(s => s.Port), row.SuspectTimes.Select(v => v.Voter).OrderBy(s => s.Port));
        Assert.Equal(SiloStatus.Dead, a.CurrentSnapshot.GetStatus(c.Address));
        Assert.Equal(SiloStatus.Dead, b.CurrentSnapshot.GetStatus(c.Address));
        Assert.Equal(SiloStatus.Dead, gateway.CurrentSnapshot.GetStatus(c.Address));
        Assert.Equal(["A", "B", "gateway"], seenDead.Keys.Order());
        foreach (var (observer, (at, count)) in seenDead)
        {
            output.WriteLine($"{failure}: {observer} saw {c.Address} Dead {at.TotalSeconds:0.0} s after the kill");
            Assert.Equal(1, count);
            Assert.True(at <= FiveSeconds, $"{observer} saw the death after {at}, more than {FiveSeconds}.");
        }
    }

    [Fact]
    public async Task Agent_TwoSiloCluster_OneVoteDeclaresDead()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(2);
        var (a, c) = (agents[0], agents[1]);

        await c.DisposeAsync();
        cluster.Network.Set(c.Address, ProbeBehavior.Refuse);
        await cluster.AdvanceAsync(FiveSeconds);

        var row = await cluster.RowAsync(c.Address);
        Assert.Equal(SiloStatus.Dead, row.Status);
        Assert.Equal(a.Address, Assert.Single(row.SuspectTimes).Voter);
        Assert.Equal(SiloStatus.Active, (await cluster.RowAsync(a.Address)).Status);
    }

    [Fact]
    public async Task Agent_SingleMissedProbe_SuspectsButDoesNotVote()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(3);
        var (a, c) = (agents[0], agents[2]);
        var suspectedViews = new ConcurrentQueue<int>();
        a.SnapshotChanged += s => suspectedViews.Enqueue(s.Suspected.Count);

        cluster.Network.Set(c.Address, ProbeBehavior.Refuse);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(1, a.MissedProbes(c.Address));
        Assert.Contains(c.Address, a.CurrentSnapshot.Suspected);

        cluster.Network.Set(c.Address, ProbeBehavior.Answer);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(10));

        var row = await cluster.RowAsync(c.Address);
        Assert.Equal(SiloStatus.Active, row.Status);
        Assert.Empty(row.SuspectTimes);
        Assert.Equal(0, a.MissedProbes(c.Address));
        Assert.Empty(a.CurrentSnapshot.Suspected);
        Assert.Contains(1, suspectedViews);
        Assert.Equal(0, suspectedViews.Last());
    }

    [Fact]
    public async Task Agent_StoreDown_NobodyDeclaredDeadAndStoreUnreachable()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(3);
        var (a, b, c) = (agents[0], agents[1], agents[2]);
        var unreachableEvents = 0;
        a.SnapshotChanged += s => Interlocked.Add(ref unreachableEvents, s.StoreReachable ? 0 : 1);
        var hooks = 0;
        foreach (var agent in agents)
        {
            agent.DeclaredDeadLocally += _ => Interlocked.Increment(ref hooks);
        }

        cluster.Store.Down = true;
        cluster.Network.Set(c.Address, ProbeBehavior.Refuse);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.False(a.CurrentSnapshot.StoreReachable);
        Assert.False(b.CurrentSnapshot.StoreReachable);
        Assert.Equal(1, Volatile.Read(ref unreachableEvents));
        Assert.Contains(c.Address, a.CurrentSnapshot.Suspected);
        Assert.Equal(SiloStatus.Active, a.CurrentSnapshot.GetStatus(c.Address));
        var row = await cluster.RowAsync(c.Address);
        Assert.Equal(SiloStatus.Active, row.Status);
        Assert.Empty(row.SuspectTimes);
        Assert.Equal(0, hooks);
        Assert.True(cluster.Store.FailedCalls > 0);

        cluster.Store.Down = false;
        cluster.Network.Set(c.Address, ProbeBehavior.Answer);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(2));

        Assert.True(a.CurrentSnapshot.StoreReachable);
        Assert.True(b.CurrentSnapshot.StoreReachable);
        Assert.Equal(SiloStatus.Active, (await cluster.RowAsync(c.Address)).Status);
        Assert.Empty((await cluster.RowAsync(c.Address)).SuspectTimes);
        Assert.Equal(0, hooks);
        Assert.Equal(3, a.CurrentSnapshot.ActiveSilos.Count);
    }

    [Fact]
    public async Task Agent_StoreRecoversWhilePeerStillDown_PeerDeclaredDeadSoonAfter()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(3);
        var c = agents[2];
        await c.DisposeAsync();
        cluster.Store.Down = true;
        cluster.Network.Set(c.Address, ProbeBehavior.Refuse);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(SiloStatus.Active, (await cluster.RowAsync(c.Address)).Status);

        cluster.Store.Down = false;
        var took = await cluster.AdvanceUntilAsync(
            () => cluster.StatusOf(c.Address) == SiloStatus.Dead,
            FiveSeconds,
            $"{c.Address} Dead after the store came back");
        output.WriteLine($"Dead {took.TotalSeconds:0.0} s after the store came back");
        Assert.True(took <= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Agent_OwnRowSetDeadByOthers_HookInvokedOnceAndLoopsStop()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(3);
        var (a, c) = (agents[0], agents[2]);
        var reasons = new ConcurrentQueue<string>();
        c.DeclaredDeadLocally += reasons.Enqueue;
        var aSawDead = 0;
        a.SiloDeclaredDead += s => Interlocked.Add(ref aSawDead, s == c.Address ? 1 : 0);

        var table = await cluster.Table.ReadAllAsync(CancellationToken.None);
        var vote = new SuspectVote(a.Address, cluster.Time.GetUtcNow());
        Assert.True(await cluster.Table.UpdateRowAsync(table.Find(c.Address)! with { Status = SiloStatus.Dead, SuspectTimes = [vote] }, table.Version, CancellationToken.None));

        await cluster.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Single(reasons);
        Assert.Contains(c.Address.ToString(), reasons.Single(), StringComparison.Ordinal);
        var probesSent = cluster.Network.ProbesSent(c.Address);

        await cluster.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Single(reasons);
        Assert.Equal(probesSent, cluster.Network.ProbesSent(c.Address));
        Assert.Equal(1, aSawDead);
    }

    [Fact]
    public async Task Agent_PartitionedSilo_DeclaredDeadAndKillsItselfWhileOthersStayActive()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(3);
        var (a, b, c) = (agents[0], agents[1], agents[2]);
        var hooks = new ConcurrentQueue<SiloAddress>();
        foreach (var agent in agents)
        {
            agent.DeclaredDeadLocally += _ => hooks.Enqueue(agent.Address);
        }

        foreach (var other in new[] { a.Address, b.Address })
        {
            cluster.Network.SetLink(other, c.Address, ProbeBehavior.Hang);
            cluster.Network.SetLink(c.Address, other, ProbeBehavior.Hang);
        }

        await cluster.AdvanceAsync(FiveSeconds);

        Assert.Equal(SiloStatus.Dead, (await cluster.RowAsync(c.Address)).Status);
        Assert.Equal(SiloStatus.Active, (await cluster.RowAsync(a.Address)).Status);
        Assert.Equal(SiloStatus.Active, (await cluster.RowAsync(b.Address)).Status);
        Assert.Equal(c.Address, Assert.Single(hooks));
    }

    [Fact]
    public async Task Agent_ConcurrentWriteConflictsWithVote_VoteRetriedAndWins()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(2);
        var (a, c) = (agents[0], agents[1]);
        // Another writer changes the table between the voter's read and its write: the CAS must fail, then succeed.
        cluster.Store.BeforeNextUpdate(async () =>
        {
            var table = await cluster.Table.ReadAllAsync(CancellationToken.None);
            Assert.True(await cluster.Table.UpdateRowAsync(table.Find(a.Address)!, table.Version, CancellationToken.None));
        });

        await c.DisposeAsync();
        cluster.Network.Set(c.Address, ProbeBehavior.Refuse);
        await cluster.AdvanceAsync(FiveSeconds);

        Assert.Equal(1, cluster.Store.RejectedWrites);
        Assert.Equal(SiloStatus.Dead, (await cluster.RowAsync(c.Address)).Status);
    }

    [Fact]
    public async Task Join_ConcurrentInsert_RetriedAndJoins()
    {
        await using var cluster = new MembershipTestCluster(output);
        var other = MembershipTestCluster.Address(9);
        var now = cluster.Time.GetUtcNow();
        cluster.Store.BeforeNextInsert(async () =>
        {
            var table = await cluster.Table.ReadAllAsync(CancellationToken.None);
            var row = new MembershipEntry { Silo = other, Status = SiloStatus.Joining, SiloName = "other", HostName = "h", StartTime = now, IAmAliveTime = now };
            Assert.True(await cluster.Table.InsertRowAsync(row, table.Version, CancellationToken.None));
        });

        var a = cluster.CreateAgent(MembershipTestCluster.Address(1));
        await a.JoinAsync(CancellationToken.None);

        Assert.Equal(1, cluster.Store.RejectedWrites);
        Assert.Equal(SiloStatus.Active, (await cluster.RowAsync(a.Address)).Status);
    }

    [Fact]
    public async Task Join_StoreDownThroughout_ThrowsAfterBoundedRetries()
    {
        await using var cluster = new MembershipTestCluster(output);
        cluster.Store.Down = true;
        var a = cluster.CreateAgent(MembershipTestCluster.Address(1));
        var join = a.JoinAsync(CancellationToken.None);

        await Assert.ThrowsAsync<MembershipStoreException>(() => cluster.AdvanceUntilAsync(join, TimeSpan.FromSeconds(30), "join"));
        Assert.Equal(MembershipAgent.MaxJoinStoreAttempts, cluster.Store.FailedCalls);
    }

    [Fact]
    public async Task Join_StoreDownAtFirst_RetriesAndJoinsWhenItAnswers()
    {
        await using var cluster = new MembershipTestCluster(output);
        cluster.Store.Down = true;
        var a = cluster.CreateAgent(MembershipTestCluster.Address(1));
        var join = a.JoinAsync(CancellationToken.None);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.False(join.IsCompleted);
        Assert.False(a.CurrentSnapshot.StoreReachable);

        cluster.Store.Down = false;
        await cluster.AdvanceUntilAsync(join, TimeSpan.FromSeconds(2), "join after the store came back");

        Assert.True(a.CurrentSnapshot.StoreReachable);
        Assert.Equal(SiloStatus.Active, (await cluster.RowAsync(a.Address)).Status);
    }

    [Fact]
    public async Task Join_UnreachableActiveSilo_JoinsAfterWindowVotesItAndLaterDeclaresItDead()
    {
        await using var cluster = new MembershipTestCluster(output);
        var leftover = MembershipTestCluster.Address(9);
        await InsertRowAsync(cluster, leftover, SiloStatus.Active, cluster.Time.GetUtcNow());
        cluster.Network.Set(leftover, ProbeBehavior.Refuse);

        var a = cluster.CreateAgent(MembershipTestCluster.Address(1));
        var took = await cluster.AdvanceUntilAsync(a.JoinAsync(CancellationToken.None), FiveSeconds, "join past an unreachable silo");

        output.WriteLine($"join took {took.TotalSeconds:0.0} s of fake time");
        Assert.True(took <= cluster.Options.ProbePeriod * cluster.Options.NumMissedProbesLimit);
        var row = await cluster.RowAsync(leftover);
        Assert.Equal(SiloStatus.Active, row.Status);
        Assert.Equal(a.Address, Assert.Single(row.SuspectTimes).Voter);
        Assert.Equal(SiloStatus.Active, (await cluster.RowAsync(a.Address)).Status);

        await cluster.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(SiloStatus.Dead, (await cluster.RowAsync(leftover)).Status);
    }

    [Fact]
    public async Task Join_StaleActiveRow_SkippedAtJoinThenDeclaredDead()
    {
        await using var cluster = new MembershipTestCluster(output);
        var corpse = MembershipTestCluster.Address(9);
        await InsertRowAsync(cluster, corpse, SiloStatus.Active, cluster.Time.GetUtcNow() - TimeSpan.FromSeconds(20));
        cluster.Network.Set(corpse, ProbeBehavior.Hang);

        var a = cluster.CreateAgent(MembershipTestCluster.Address(1));
        // No clock movement: a join that waited on the stale row would never complete.
        await TestInfrastructure.TestWait.CompletesAsync(a.JoinAsync(CancellationToken.None), "join next to a stale row");
        Assert.Equal(0, cluster.Network.ProbesReceived(corpse));

        await cluster.AdvanceAsync(FiveSeconds);
        Assert.Equal(SiloStatus.Dead, (await cluster.RowAsync(corpse)).Status);
    }

    [Fact]
    public async Task Join_EarlierGenerationOfSameEndpoint_DeclaredDeadWithoutProbing()
    {
        await using var cluster = new MembershipTestCluster(output);
        var previous = MembershipTestCluster.Address(1, generation: 1);
        await InsertRowAsync(cluster, previous, SiloStatus.Active, cluster.Time.GetUtcNow());
        cluster.Network.Set(previous, ProbeBehavior.Hang);

        var restarted = cluster.CreateAgent(MembershipTestCluster.Address(1, generation: 2));
        await TestInfrastructure.TestWait.CompletesAsync(restarted.JoinAsync(CancellationToken.None), "join of the restarted silo");

        Assert.Equal(SiloStatus.Dead, (await cluster.RowAsync(previous)).Status);
        Assert.Equal(0, cluster.Network.ProbesReceived(previous));
        Assert.Equal([restarted.Address], restarted.CurrentSnapshot.ActiveSilos);
    }

    [Fact]
    public async Task Join_WritesJoiningThenActive()
    {
        await using var cluster = new MembershipTestCluster(output);
        var a = cluster.CreateAgent(MembershipTestCluster.Address(1));

        await a.JoinAsync(CancellationToken.None);

        var own = cluster.Store.Writes.Where(w => w.Entry.Silo == a.Address).Select(w => (w.Operation, w.Entry.Status)).ToList();
        Assert.Equal([("Insert", SiloStatus.Joining), ("Update", SiloStatus.Active)], own);
        Assert.Equal([a.Address], a.CurrentSnapshot.ActiveSilos);
    }

    [Fact]
    public async Task Agents_ThreeSilos_SeeEachOtherActive()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(3);

        await cluster.AdvanceAsync(TimeSpan.FromSeconds(1));

        var expected = agents.Select(a => a.Address).OrderBy(s => s.ToString(), StringComparer.Ordinal).ToList();
        foreach (var agent in agents)
        {
            Assert.Equal(expected, agent.CurrentSnapshot.ActiveSilos);
            Assert.True(agent.CurrentSnapshot.StoreReachable);
            Assert.Empty(agent.CurrentSnapshot.Suspected);
        }

        Assert.Single(agents.Select(a => a.CurrentSnapshot.Version).Distinct());
        Assert.All(agents, a => Assert.True(cluster.Network.ProbesSent(a.Address) >= 2));
    }

    [Fact]
    public async Task Agent_IAmAlive_WrittenEveryPeriodWithoutVersionBump()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(2);
        var version = (await cluster.Table.ReadAllAsync(CancellationToken.None)).Version;
        var before = (await cluster.RowAsync(agents[0].Address)).IAmAliveTime;

        await cluster.AdvanceAsync(cluster.Options.IAmAlivePeriod);

        Assert.Equal(before + cluster.Options.IAmAlivePeriod, (await cluster.RowAsync(agents[0].Address)).IAmAliveTime);
        Assert.Equal(version, (await cluster.Table.ReadAllAsync(CancellationToken.None)).Version);
    }

    [Fact]
    public async Task Agent_ShutdownThenLeave_WritesShuttingDownThenDeadAndStops()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(3);
        var (a, b) = (agents[0], agents[1]);
        var hooks = 0;
        b.DeclaredDeadLocally += _ => Interlocked.Increment(ref hooks);
        var aSawDead = new ConcurrentQueue<SiloAddress>();
        a.SiloDeclaredDead += aSawDead.Enqueue;

        await b.ShutdownAsync(CancellationToken.None);
        Assert.Equal(SiloStatus.ShuttingDown, (await cluster.RowAsync(b.Address)).Status);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(SiloStatus.ShuttingDown, a.CurrentSnapshot.GetStatus(b.Address));
        Assert.DoesNotContain(b.Address, a.CurrentSnapshot.ActiveSilos);
        var probesWhileShuttingDown = cluster.Network.ProbesSent(b.Address);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.True(cluster.Network.ProbesSent(b.Address) > probesWhileShuttingDown, "a shutting-down silo keeps probing");

        await b.LeaveAsync(CancellationToken.None);
        Assert.Equal(SiloStatus.Dead, (await cluster.RowAsync(b.Address)).Status);
        var probesAfterLeave = cluster.Network.ProbesSent(b.Address);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(3));

        Assert.Equal(probesAfterLeave, cluster.Network.ProbesSent(b.Address));
        Assert.Equal(b.Address, Assert.Single(aSawDead));
        Assert.Equal(0, hooks);
    }

    [Fact]
    public async Task Agent_ShutdownAndLeaveWithStoreDown_CompleteWithoutThrowing()
    {
        await using var cluster = new MembershipTestCluster(output);
        var agents = await cluster.StartAsync(2);
        cluster.Store.Down = true;

        await agents[1].ShutdownAsync(CancellationToken.None);
        await agents[1].LeaveAsync(CancellationToken.None);

        Assert.Equal(SiloStatus.Active, (await cluster.RowAsync(agents[1].Address)).Status);
        Assert.False(agents[1].CurrentSnapshot.StoreReachable);
    }

    [Fact]
    public async Task Agent_VotesOlderThanExpiration_DoNotCount()
    {
        var options = new ClusterMembershipOptions { DeathVoteExpirationTimeout = TimeSpan.FromSeconds(10) };
        await using var cluster = new MembershipTestCluster(output, options);
        var agents = await cluster.StartAsync(4);
        var (a, b, d) = (agents[0], agents[1], agents[3]);

        cluster.Network.SetLink(a.Address, d.Address, ProbeBehavior.Refuse);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(a.Address, Assert.Single((await cluster.RowAsync(d.Address)).SuspectTimes).Voter);
        cluster.Network.ClearLink(a.Address, d.Address);

        await cluster.AdvanceAsync(TimeSpan.FromSeconds(11));
        cluster.Network.SetLink(b.Address, d.Address, ProbeBehavior.Refuse);
        await cluster.AdvanceAsync(TimeSpan.FromSeconds(2));

        // With A's vote still counted, B's would have been the second one and declared D dead.
        var row = await cluster.RowAsync(d.Address);
        Assert.Equal(SiloStatus.Active, row.Status);
        Assert.Equal(b.Address, Assert.Single(row.SuspectTimes).Voter);
    }

    [Fact]
    public async Task Agent_DefunctRows_CleanedAtJoinButActiveRowsKept()
    {
        var options = new ClusterMembershipOptions { DefunctSiloExpiration = TimeSpan.FromHours(1) };
        await using var cluster = new MembershipTestCluster(output, options);
        var old = cluster.Time.GetUtcNow() - TimeSpan.FromHours(2);
        await InsertRowAsync(cluster, MembershipTestCluster.Address(8), SiloStatus.Dead, old);
        await InsertRowAsync(cluster, MembershipTestCluster.Address(9), SiloStatus.Active, old);

        await cluster.StartAsync(1);

        var table = await cluster.Table.ReadAllAsync(CancellationToken.None);
        Assert.Null(table.Find(MembershipTestCluster.Address(8)));
        Assert.NotNull(table.Find(MembershipTestCluster.Address(9)));
    }

    [Fact]
    public async Task SelectProbeTargets_LargeCluster_NextSilosOnRingPlusSuspects()
    {
        var options = new ClusterMembershipOptions { NumProbedSilos = 2 };
        await using var cluster = new MembershipTestCluster(output, options);
        var now = cluster.Time.GetUtcNow();
        var silos = Enumerable.Range(1, 6).Select(i => MembershipTestCluster.Address(i)).ToList();
        var entries = silos.Select(s => Row(s, SiloStatus.Active, now)).ToList();
        // Silo 1 carries a fresh vote: every monitor probes it, ring or not.
        entries[0] = entries[0] with { SuspectTimes = [new SuspectVote(silos[5], now)] };
        var agent = cluster.CreateAgent(silos[2]);

        var targets = agent.SelectProbeTargets(new MembershipTableSnapshot(7, entries), now);

        Assert.Equal(new[] { silos[0], silos[3], silos[4] }.OrderBy(s => s.Port), targets.OrderBy(s => s.Port));
    }

    internal static MembershipEntry Row(SiloAddress silo, SiloStatus status, DateTimeOffset alive)
        => new() { Silo = silo, Status = status, SiloName = $"silo{silo.Port}", HostName = "host", StartTime = alive, IAmAliveTime = alive };

    private static async Task InsertRowAsync(MembershipTestCluster cluster, SiloAddress silo, SiloStatus status, DateTimeOffset alive)
    {
        var table = await cluster.Table.ReadAllAsync(CancellationToken.None);
        Assert.True(await cluster.Table.InsertRowAsync(Row(silo, status, alive), table.Version, CancellationToken.None));
    }
}
