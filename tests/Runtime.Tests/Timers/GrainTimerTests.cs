using Switchboard.Runtime.Catalog;
using Switchboard.Runtime.Tests.TestGrains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Timers;

public sealed class GrainTimerTests(ITestOutputHelper output) : SiloFixture(output)
{
    [Fact]
    public async Task Timer_CallbackThrows_TimerKeepsTicking()
    {
        var grain = Grains.GetGrain<ITestGrain>("fail");
        await grain.StartTimer(1, 1, keepAlive: false, interleave: false, gate: "", fail: true);
        var activation = ActivationOf("rt-test", "fail");
        await WaitQuiescent(activation);

        for (var tick = 1; tick <= 3; tick++)
        {
            Silo.Time.Advance(TimeSpan.FromSeconds(1));
            await WaitTickDone(activation, tick);
        }

        Assert.Equal(3, Probe.TicksStarted);
    }

    [Fact]
    public async Task Timer_SlowCallback_NoOverlapAndPeriodCountsFromEnd()
    {
        var grain = Grains.GetGrain<ITestGrain>("slow");
        // Interleave lets a second tick start at once if the timer were (wrongly) re-armed while the first runs.
        await grain.StartTimer(1, 10, keepAlive: false, interleave: true, gate: "tick", fail: false);
        Silo.Time.Advance(TimeSpan.FromSeconds(1));
        await TestWait.UntilAsync(() => Probe.Entered("tick") == 1, "the first tick is running");

        Silo.Time.Advance(TimeSpan.FromSeconds(60));
        await grain.Peek();
        Assert.Equal(1, Probe.TicksStarted);

        Probe.Open("tick");
        var activation = ActivationOf("rt-test", "slow");
        await WaitTickDone(activation, 1);
        Silo.Time.Advance(TimeSpan.FromSeconds(9));
        await grain.Peek();
        Assert.Equal(1, Probe.TicksStarted);
        Silo.Time.Advance(TimeSpan.FromSeconds(1));
        await WaitTickDone(activation, 2);
        Assert.Equal(1, Probe.MaxTicksInside);
    }

    [Fact]
    public async Task Timer_NonInterleaving_WaitsForBlockedRequest()
    {
        var grain = Grains.GetGrain<ITestGrain>("wait");
        await grain.StartTimer(1, -1, keepAlive: false, interleave: false, gate: "", fail: false);
        var blocked = grain.Block("req");
        await TestWait.UntilAsync(() => Probe.Entered("req") == 1, "Block entered the grain");

        Silo.Time.Advance(TimeSpan.FromSeconds(1));
        await grain.Peek();
        Assert.Equal(0, Probe.TicksStarted);

        Probe.Open("req");
        await blocked;
        await TestWait.UntilAsync(() => Probe.TicksStarted == 1, "the tick ran after the request finished");
    }

    [Fact]
    public async Task Timer_Disposed_StopsTicking()
    {
        var grain = Grains.GetGrain<ITestGrain>("stop");
        await grain.StartTimer(1, 1, keepAlive: false, interleave: false, gate: "", fail: false);
        var activation = ActivationOf("rt-test", "stop");
        await WaitQuiescent(activation);
        Silo.Time.Advance(TimeSpan.FromSeconds(1));
        await WaitTickDone(activation, 1);

        await grain.StopTimer();
        Silo.Time.Advance(TimeSpan.FromSeconds(5));
        await grain.Peek();

        Assert.Equal(1, Probe.TicksStarted);
        Assert.Equal(0, activation.TimerCount);
    }

    [Fact]
    public async Task Timer_Changed_UsesNewDueTimeAndPeriod()
    {
        var grain = Grains.GetGrain<ITestGrain>("change");
        await grain.StartTimer(60, 60, keepAlive: false, interleave: false, gate: "", fail: false);
        var activation = ActivationOf("rt-test", "change");

        await grain.ChangeTimer(5, 2);
        await WaitQuiescent(activation);
        Silo.Time.Advance(TimeSpan.FromSeconds(5));
        await WaitTickDone(activation, 1);
        Silo.Time.Advance(TimeSpan.FromSeconds(2));
        await WaitTickDone(activation, 2);

        Assert.Equal(2, Probe.TicksStarted);
    }

    [Fact]
    public async Task Timer_OnDeactivation_IsDisposedAndStopsTicking()
    {
        var grain = Grains.GetGrain<ITestGrain>("dispose");
        await grain.StartTimer(1, 1, keepAlive: true, interleave: false, gate: "", fail: false);
        var activation = ActivationOf("rt-test", "dispose");
        await WaitQuiescent(activation);
        Silo.Time.Advance(TimeSpan.FromSeconds(1));
        await WaitTickDone(activation, 1);
        Assert.Equal(1, activation.TimerCount);

        await grain.Deactivate();
        await TestWait.CompletesAsync(activation.Deactivated, "deactivation");
        Silo.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, activation.TimerCount);
        Assert.Equal(1, Probe.TicksStarted);
    }

    [Fact]
    public async Task Timer_WithoutKeepAlive_DoesNotPreventIdleCollection()
    {
        var grain = Grains.GetGrain<ITestGrain>("nokeep");
        await grain.StartTimer(30, 30, keepAlive: false, interleave: false, gate: "", fail: false);
        var activation = ActivationOf("rt-test", "nokeep");
        await WaitQuiescent(activation);

        for (var tick = 1; tick <= 4 && activation.State == ActivationState.Valid; tick++)
        {
            Silo.Time.Advance(TimeSpan.FromSeconds(30));
            await TestWait.UntilAsync(() => activation.State != ActivationState.Valid || (Probe.TicksStarted >= tick && activation.RunningCount == 0),
                $"tick {tick} finished or the activation was collected");
        }

        await TestWait.UntilAsync(() => Probe.DeactivationCount("nokeep") == 1, "idle collection despite a running timer");
        Assert.Equal(DeactivationReason.IdleCollection, Probe.Deactivations.Single().Reason);
    }

    [Fact]
    public async Task Timer_WithKeepAlive_PreventsIdleCollection()
    {
        var grain = Grains.GetGrain<ITestGrain>("keep");
        await grain.StartTimer(30, 30, keepAlive: true, interleave: false, gate: "", fail: false);
        var activation = ActivationOf("rt-test", "keep");
        await WaitQuiescent(activation);

        for (var tick = 1; tick <= 10; tick++)
        {
            Silo.Time.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(ActivationState.Valid, activation.State);
            await WaitTickDone(activation, tick);
        }

        Assert.Equal(0, Probe.DeactivationCount("keep"));
    }

    private Task WaitTickDone(GrainActivation activation, int tick)
        => TestWait.UntilAsync(() => Probe.TicksStarted >= tick && activation.RunningCount == 0,
            $"tick {tick} completed", () => $"{Probe.TicksStarted} ticks started, {activation.RunningCount} turns running");
}
