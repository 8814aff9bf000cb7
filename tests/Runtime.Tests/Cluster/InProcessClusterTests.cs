using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Runtime.Hosting;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Tests.TestGrains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Cluster;

/// <summary>
/// Cluster behaviour on an <see cref="InProcessTestCluster"/>: real TCP between silos and clients on 127.0.0.1, real
/// membership agents (default 1 s probes), shared in-memory membership table, directory and storage. Failure cases first.
/// </summary>
public sealed class InProcessClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Cluster_PendingCallWhenSiloKilled_FailsWithSiloUnavailableNotTimeout()
    {
        await using var cluster = await StartAsync(2);
        var client = await cluster.StartClientAsync();
        var grain = client.GrainFactory.GetGrain<ITestGrain>("blocked");
        await grain.GetOneWayCount();
        var host = HostOf(cluster, "blocked");
        var call = grain.Block("never");
        await Task.Delay(100);

        var stopwatch = Stopwatch.StartNew();
        await cluster.KillSiloAsync(host);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => TestWait.CompletesAsync(call, "call to the killed silo", TimeSpan.FromSeconds(10)));
        output.WriteLine($"pending call failed {stopwatch.ElapsedMilliseconds} ms after the kill");
    }

    [Fact]
    public async Task Cluster_SiloKilled_DeclaredDeadEverywhereAndItsGrainReactivatesOnASurvivor()
    {
        await using var cluster = await StartAsync(3);
        var client = await cluster.StartClientAsync();
        var keys = Enumerable.Range(0, 12).Select(i => $"k{i}").ToList();
        foreach (var key in keys)
        {
            await client.GrainFactory.GetGrain<ITestGrain>(key).Enter(1);
        }

        var victim = HostOf(cluster, keys[0]);
        var victimAddress = victim.Address!;
        var moved = keys.Where(k => HostOf(cluster, k) == victim).ToList();
        var stopwatch = Stopwatch.StartNew();
        await cluster.KillSiloAsync(victim);

        await TestWait.UntilAsync(
            () => cluster.Silos.All(s => s.Membership.CurrentSnapshot.GetStatus(victimAddress) == SiloStatus.Dead)
                && client.Membership.CurrentSnapshot.GetStatus(victimAddress) == SiloStatus.Dead,
            $"every survivor and the client see {victimAddress} Dead", timeout: TimeSpan.FromSeconds(15));
        output.WriteLine($"declared dead everywhere {stopwatch.ElapsedMilliseconds} ms after the kill");

        foreach (var key in moved)
        {
            Assert.Equal(1, await client.GrainFactory.GetGrain<ITestGrain>(key).Enter(2));
            Assert.Equal(1, cluster.CountActivations(new GrainId("rt-test", key)));
        }
    }

    [Fact]
    public async Task Cluster_ConcurrentFirstCallsFromTwoClients_ExactlyOneActivationPerGrain()
    {
        await using var cluster = await StartAsync(3);
        var a = await cluster.StartClientAsync();
        var b = await cluster.StartClientAsync();

        var calls = new List<Task<int>>();
        for (var round = 0; round < 10; round++)
        {
            for (var g = 0; g < 8; g++)
            {
                calls.Add(a.GrainFactory.GetGrain<ITestGrain>($"race{g}").Enter(round));
                calls.Add(b.GrainFactory.GetGrain<ITestGrain>($"race{g}").Enter(round));
            }
        }

        await TestWait.CompletesAsync(Task.WhenAll(calls), "160 racing calls");
        for (var g = 0; g < 8; g++)
        {
            Assert.Equal(1, cluster.CountActivations(new GrainId("rt-test", $"race{g}")));
            Assert.Equal(20, (await a.GrainFactory.GetGrain<ITestGrain>($"race{g}").GetSequence()).Length);
        }
    }

    [Fact]
    public async Task Cluster_ManyGrains_SpreadOverAllSilosWithOneActivationEach()
    {
        await using var cluster = await StartAsync(3);
        var client = await cluster.StartClientAsync();

        for (var i = 0; i < 30; i++)
        {
            await client.GrainFactory.GetGrain<ITestGrain>($"spread{i}").Enter(i);
        }

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(1, cluster.CountActivations(new GrainId("rt-test", $"spread{i}")));
        }

        Assert.All(cluster.Silos, s => Assert.InRange(s.Catalog!.CountOfType("rt-test"), 5, 15));
    }

    [Fact]
    public async Task Cluster_SiloAdded_NewGrainsArePlacedOnIt()
    {
        await using var cluster = await StartAsync(1);
        var client = await cluster.StartClientAsync();
        await client.GrainFactory.GetGrain<ITestGrain>("before").Enter(1);

        var added = await cluster.StartAdditionalSiloAsync();
        await cluster.WaitForLivenessToStabilizeAsync();
        await TestWait.UntilAsync(() => client.Membership.CurrentSnapshot.ActiveSilos.Count == 2, "client sees the new silo");
        for (var i = 0; i < 10; i++)
        {
            await client.GrainFactory.GetGrain<ITestGrain>($"after{i}").Enter(i);
        }

        Assert.InRange(added.Catalog!.CountOfType("rt-test"), 4, 6);
    }

    [Fact]
    public async Task Cluster_SiloStoppedGracefully_LeavesAsDeadAndItsGrainsServeElsewhere()
    {
        await using var cluster = await StartAsync(2);
        var client = await cluster.StartClientAsync();
        for (var i = 0; i < 6; i++)
        {
            await client.GrainFactory.GetGrain<ITestGrain>($"g{i}").Enter(1);
        }

        var leaving = cluster.Silos[0];
        var address = leaving.Address!;
        await cluster.StopSiloAsync(leaving);

        Assert.Equal(SiloStatus.Dead, (await cluster.Table.ReadAllAsync(CancellationToken.None)).Find(address)!.Status);
        for (var i = 0; i < 6; i++)
        {
            await TestWait.CompletesAsync(client.GrainFactory.GetGrain<ITestGrain>($"g{i}").Enter(2), $"call to g{i} after the hand-off");
            Assert.Equal(1, cluster.CountActivations(new GrainId("rt-test", $"g{i}")));
        }
    }

    [Fact]
    public async Task Cluster_SiloRestartedOnItsPort_OldGenerationDeadNewOneActiveAndGrainsServeOnce()
    {
        await using var cluster = await StartAsync(2);
        var client = await cluster.StartClientAsync();
        for (var i = 0; i < 6; i++)
        {
            await client.GrainFactory.GetGrain<ITestGrain>($"r{i}").Enter(1);
        }

        var old = cluster.Silos[0];
        var oldAddress = old.Address!;
        var restarted = await cluster.RestartSiloAsync(old);

        Assert.Equal(oldAddress.Port, restarted.Address!.Port);
        Assert.NotEqual(oldAddress, restarted.Address);
        await cluster.WaitForLivenessToStabilizeAsync();
        await TestWait.UntilAsync(
            () => cluster.Table.ReadAllAsync(CancellationToken.None).GetAwaiter().GetResult().Find(oldAddress)?.Status == SiloStatus.Dead,
            "the old generation is declared Dead");
        for (var i = 0; i < 6; i++)
        {
            await TestWait.CompletesAsync(client.GrainFactory.GetGrain<ITestGrain>($"r{i}").Enter(2), $"call to r{i} after the restart");
            Assert.Equal(1, cluster.CountActivations(new GrainId("rt-test", $"r{i}")));
        }
    }

    [Fact]
    public async Task Cluster_ObserverOnClient_GrainOnAnotherProcessCallsItBack()
    {
        await using var cluster = await StartAsync(2);
        var client = await cluster.StartClientAsync();
        var observer = new TestObserver();
        var reference = client.GrainFactory.CreateObjectReference<ITestObserver>(observer);

        await client.GrainFactory.GetGrain<ITestGrain>("notifier").Notify(reference, 20, oneWay: true);

        await TestWait.UntilAsync(() => observer.Values.Count == 20, "20 notifications on the client");
        Assert.Equal(Enumerable.Range(0, 20), observer.Values);
    }

    private Task<InProcessTestCluster> StartAsync(int silos)
        => InProcessTestCluster.StartAsync(silos, services =>
        {
            services.AddSingleton<TestProbe>();
            services.AddGrain<ITestGrain, TestGrain>();
        }, output);

    private static TestClusterNode HostOf(InProcessTestCluster cluster, string key)
        => cluster.Silos.Single(s => s.Catalog!.TryGetActivation(new GrainId("rt-test", key), out _));
}
