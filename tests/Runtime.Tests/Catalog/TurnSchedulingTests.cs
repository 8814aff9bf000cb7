using Switchboard.Runtime.Tests.TestGrains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Catalog;

public sealed class TurnSchedulingTests(ITestOutputHelper output) : SiloFixture(output)
{
    [Fact]
    public async Task ExclusiveRequests_ManyConcurrentCalls_NeverOverlapAndRunInArrivalOrder()
    {
        var grain = Grains.GetGrain<ITestGrain>("exclusive");
        var calls = Enumerable.Range(0, 200).Select(grain.Enter).ToArray();

        var counts = await TestWait.CompletesAsync(Task.WhenAll(calls), "200 concurrent Enter calls");

        Assert.Equal(1, Probe.MaxInside);
        Assert.Equal(Enumerable.Range(1, 200), counts);
        Assert.Equal(Enumerable.Range(0, 200), await grain.GetSequence());
    }

    [Fact]
    public async Task AlwaysInterleave_WhileExclusiveCallBlocked_AnswersAndLaterExclusiveWaits()
    {
        var grain = Grains.GetGrain<ITestGrain>("interleave");
        var blocked = grain.Block("hold");
        await TestWait.UntilAsync(() => Probe.Entered("hold") == 1, "Block entered the grain");
        var queued = grain.Enter(7);

        var peek = await TestWait.CompletesAsync(grain.Peek(), "AlwaysInterleave Peek during a blocked exclusive turn");

        Assert.Equal(0, peek);
        Assert.False(queued.IsCompleted, "an exclusive request must wait for the blocked exclusive turn");
        Probe.Open("hold");
        await TestWait.CompletesAsync(blocked, "Block after the gate opened");
        Assert.Equal(1, await TestWait.CompletesAsync(queued, "queued Enter"));
    }

    [Fact]
    public async Task ReadOnly_TwoReadOnlyRequests_RunTogetherButExcludeExclusive()
    {
        var grain = Grains.GetGrain<ITestGrain>("readonly");
        var first = grain.ReadBlocked("read");
        var second = grain.ReadBlocked("read");
        await TestWait.UntilAsync(() => Probe.Entered("read") == 2, "both read-only requests are inside the grain",
            () => $"{Probe.Entered("read")} entered");
        var exclusive = grain.Enter(1);
        var third = grain.ReadBlocked("late");

        Assert.Equal(2, Probe.MaxReadOnlyInside);
        Assert.False(exclusive.IsCompleted, "an exclusive request must wait for running read-only requests");
        Assert.Equal(0, Probe.Entered("late"));
        Probe.Open("read");
        await TestWait.CompletesAsync(Task.WhenAll(first, second), "read-only requests");
        await TestWait.CompletesAsync(exclusive, "exclusive request after the read-only ones");
        Probe.Open("late");
        await TestWait.CompletesAsync(third, "read-only request queued behind the exclusive one");
        Assert.Equal(0, Probe.Violations);
    }

    [Fact]
    public async Task OneWay_MethodThrows_CallerUnaffectedAndLaterCallsSeeItsEffect()
    {
        var grain = Grains.GetGrain<ITestGrain>("oneway");

        await grain.FireAndThrow(3);
        await grain.FireAndThrow(4);

        Assert.Equal(7, await TestWait.CompletesAsync(grain.GetOneWayCount(), "GetOneWayCount"));
    }

    [Fact]
    public async Task Arguments_MutatedAfterCall_GrainKeepsItsOwnCopy()
    {
        var grain = Grains.GetGrain<ITestGrain>("isolation");
        var items = new List<string> { "a", "b" };

        await grain.Store(items);
        items.Add("c");
        items[0] = "changed";
        var stored = await grain.GetStored();
        stored.Add("caller-side");

        Assert.Equal(["a", "b"], await grain.GetStored());
    }
}
