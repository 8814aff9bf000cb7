using Switchboard.Runtime.Catalog;
using Switchboard.Runtime.Tests.TestGrains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Catalog;

public sealed class ActivationLifecycleTests(ITestOutputHelper output) : SiloFixture(output)
{
    [Fact]
    public async Task Activation_OnActivateThrows_AllWaitingCallersGetExceptionAndNextCallActivatesAfresh()
    {
        // Hold the activation at a gate until all ten calls are queued behind it; otherwise a call issued after the
        // failed activation has left the catalog rightly starts a second attempt, and the count below would race.
        Probe.FailActivation = true;
        Probe.BlockActivation = true;
        var grain = Grains.GetGrain<IFailingGrain>("f");

        var calls = Enumerable.Range(0, 10).Select(_ => grain.Ping()).ToArray();
        await TestWait.UntilAsync(() => Probe.Entered("activate") == 1, "OnActivateAsync waiting at its gate");
        Probe.BlockActivation = false;
        Probe.Open("activate");
        foreach (var call in calls)
        {
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestWait.CompletesAsync(call, "Ping on a failing activation"));
            Assert.Equal("activation failed on purpose", ex.Message);
        }

        Assert.Equal(1, Probe.ActivationAttempts);
        await TestWait.UntilAsync(() => Catalog.Count == 0, "the failed activation left the catalog", () => $"{Catalog.Count} activations");
        Probe.FailActivation = false;
        Assert.Equal(2, await TestWait.CompletesAsync(grain.Ping(), "Ping after the failure"));
    }

    [Fact]
    public async Task Activation_OnActivateHangs_CallersGetTimeoutAfterActivationTimeout()
    {
        Probe.BlockActivation = true;
        var grain = Grains.GetGrain<IFailingGrain>("hang");
        var call = grain.Ping();
        await TestWait.UntilAsync(() => Probe.Entered("activate") == 1, "OnActivateAsync started");

        // Response timeout is 10 s in this fixture; the activation timeout is the default 30 s, so advance in steps
        // that stay below the response timeout for a second call issued just before the activation gives up.
        Silo.Time.Advance(TimeSpan.FromSeconds(25));
        var late = grain.Ping();
        Silo.Time.Advance(TimeSpan.FromSeconds(5));

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => TestWait.CompletesAsync(late, "Ping waiting on a hung activation"));
        Assert.Contains("OnActivateAsync", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<TimeoutException>(() => TestWait.CompletesAsync(call, "first Ping (response timeout)"));
    }

    [Fact]
    public async Task Deactivation_MessagesArrivingWhileDeactivating_AreHeldThenServedByNewActivation()
    {
        Probe.BlockDeactivation = true;
        var grain = Grains.GetGrain<ITestGrain>("slowdeact");
        await grain.Enter(1);
        var activation = ActivationOf("rt-test", "slowdeact");
        await grain.Deactivate();
        await TestWait.UntilAsync(() => Probe.Entered("deactivate") == 1, "OnDeactivateAsync started");

        var held = Enumerable.Range(10, 5).Select(grain.Enter).ToArray();

        Assert.Equal(ActivationState.Deactivating, activation.State);
        Assert.All(held, call => Assert.False(call.IsCompleted, "a message must not be served by a deactivating activation"));
        Assert.Equal(1, Probe.ActivationCount("slowdeact"));
        Probe.BlockDeactivation = false;
        Probe.Open("deactivate");
        await TestWait.CompletesAsync(Task.WhenAll(held), "held calls");
        Assert.Equal(2, Probe.ActivationCount("slowdeact"));
        var sequence = await grain.GetSequence();
        Assert.Equal([10, 11, 12, 13, 14], sequence);
    }

    [Fact]
    public async Task Deactivation_GrainDeactivatesWhileActivating_MessageFailsAfterForwardLimit()
    {
        Probe.DeactivateDuringActivation = true;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => TestWait.CompletesAsync(Grains.GetGrain<ITestGrain>("bounce").Enter(1), "Enter on a self-deactivating grain"));

        Assert.Contains("forwarded", ex.Message, StringComparison.Ordinal);
        Assert.Equal(GrainCatalog.MaxForwardCount + 1, Probe.ActivationCount("bounce"));
        Assert.Equal(0, Probe.MaxInside);
    }

    [Fact]
    public async Task Activation_ConcurrentFirstCalls_CreateExactlyOneActivation()
    {
        var grain = Grains.GetGrain<ITestGrain>("single");

        await TestWait.CompletesAsync(Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => grain.Peek()))), "100 first calls");

        Assert.Equal(1, Probe.ActivationCount("single"));
        Assert.Equal(1, Catalog.Count);
    }

    [Fact]
    public async Task DeactivateOnIdle_AfterTurn_DeactivatesAndNextCallGetsFreshActivation()
    {
        var grain = Grains.GetGrain<ITestGrain>("doi");
        await grain.Enter(1);

        await grain.Deactivate();
        await TestWait.UntilAsync(() => Probe.DeactivationCount("doi") == 1, "the grain deactivated after DeactivateOnIdle");
        var sequence = await TestWait.CompletesAsync(grain.GetSequence(), "call after deactivation");

        Assert.Empty(sequence);
        Assert.Equal(DeactivationReason.ApplicationRequested, Probe.Deactivations.Single().Reason);
        Assert.Equal(2, Probe.ActivationCount("doi"));
    }

    [Fact]
    public async Task DeactivateOnIdle_CallsQueuedBehindIt_AreDeliveredToNextActivation()
    {
        var grain = Grains.GetGrain<ITestGrain>("held");
        var blocked = grain.Block("held-gate");
        await TestWait.UntilAsync(() => Probe.Entered("held-gate") == 1, "Block entered the grain");
        var deactivate = grain.Deactivate();
        var later = Enumerable.Range(0, 20).Select(grain.Enter).ToArray();

        Probe.Open("held-gate");

        await TestWait.CompletesAsync(Task.WhenAll(later.Append(blocked).Append(deactivate)), "calls queued behind DeactivateOnIdle");
        Assert.Equal(1, Probe.DeactivationCount("held"));
        Assert.Equal(2, Probe.ActivationCount("held"));
        Assert.Equal(Enumerable.Range(0, 20), await grain.GetSequence());
    }

    [Fact]
    public async Task IdleCollection_NoCallsForCollectionAge_Deactivates()
    {
        var grain = Grains.GetGrain<ITestGrain>("idle");
        await grain.Enter(1);
        var activation = ActivationOf("rt-test", "idle");
        await WaitQuiescent(activation);

        Silo.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ActivationState.Valid, activation.State);
        Silo.Time.Advance(TimeSpan.FromMinutes(1));

        await TestWait.CompletesAsync(activation.Deactivated, "idle collection after 2 minutes");
        Assert.Equal(DeactivationReason.IdleCollection, Probe.Deactivations.Single().Reason);
        Assert.Equal(0, Catalog.Count);
    }

    [Fact]
    public async Task IdleCollection_IncomingCallsWithinAge_KeepActivation()
    {
        var grain = Grains.GetGrain<ITestGrain>("busy");
        await grain.Enter(1);
        var activation = ActivationOf("rt-test", "busy");

        for (var minute = 0; minute < 5; minute++)
        {
            Silo.Time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(ActivationState.Valid, activation.State);
            await grain.Enter(minute);
            await WaitQuiescent(activation);
        }

        Assert.Equal(0, Probe.DeactivationCount("busy"));
    }

    [Fact]
    public async Task DelayDeactivation_LongerThanAge_KeepsActivationUntilItExpires()
    {
        var grain = Grains.GetGrain<ITestGrain>("delay");
        await grain.DelayDeactivation(5 * 60);
        var activation = ActivationOf("rt-test", "delay");
        await WaitQuiescent(activation);

        for (var minute = 1; minute <= 4; minute++)
        {
            Silo.Time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(ActivationState.Valid, activation.State);
        }

        Silo.Time.Advance(TimeSpan.FromMinutes(1));
        await TestWait.UntilAsync(() => Probe.DeactivationCount("delay") == 1, "collection once the delay expired");
    }

    [Fact]
    public async Task Shutdown_MessagesWaitingInTheMailbox_ProcessedInOrderByTheOldActivationBeforeItLeaves()
    {
        var grain = Grains.GetGrain<ITestGrain>("handoff");
        var blocked = grain.Block("handoff-gate");
        await TestWait.UntilAsync(() => Probe.Entered("handoff-gate") == 1, "Block entered the grain");
        var waiting = Enumerable.Range(0, 20).Select(grain.Enter).ToArray();
        await TestWait.UntilAsync(() => ActivationOf("rt-test", "handoff").RunningCount >= 21, "20 calls waiting in the mailbox behind Block");

        var shutdown = Catalog.DeactivateAllAsync(CancellationToken.None);
        Probe.Open("handoff-gate");
        await TestWait.CompletesAsync(shutdown, "deactivation of every grain");

        await TestWait.CompletesAsync(Task.WhenAll(waiting.Append(blocked)), "the waiting calls");

        Assert.Equal(1, Probe.ActivationCount("handoff")); // served by the old activation, not re-delivered to a new one
        var deactivation = Assert.Single(Probe.Deactivations);
        Assert.Equal(DeactivationReason.ShuttingDown, deactivation.Reason);
    }

    [Fact]
    public async Task Shutdown_ActiveGrains_OnDeactivateRunsWithShuttingDown()
    {
        await Grains.GetGrain<ITestGrain>("a").Enter(1);
        await Grains.GetGrain<ITestGrain>("b").Enter(1);

        await Silo.StopAsync();

        Assert.Equal(2, Probe.Deactivations.Count);
        Assert.All(Probe.Deactivations, d => Assert.Equal(DeactivationReason.ShuttingDown, d.Reason));
        await Assert.ThrowsAsync<SiloUnavailableException>(() => Grains.GetGrain<ITestGrain>("a").Enter(2));
    }
}
