using Microsoft.Extensions.Time.Testing;

namespace Switchboard.TwilioSim.Tests;

public sealed class PacingLoopTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task RunAsync_MaxDurationReached_ReturnsFalse()
    {
        var loop = new PacingLoop(_time, PacingLoop.FrameInterval);

        bool finished = await loop.RunAsync(
            (_, _) =>
            {
                _time.Advance(TimeSpan.FromMilliseconds(20));
                return false;
            },
            TimeSpan.FromMilliseconds(100),
            CancellationToken.None);

        Assert.False(finished);
        Assert.Equal(5, loop.Ticks);
    }

    [Fact]
    public async Task RunAsync_LoopFallsBehind_JumpsToDueTickAndCountsLateTicks()
    {
        var loop = new PacingLoop(_time, PacingLoop.FrameInterval);
        var ticks = new List<long>();

        bool finished = await loop.RunAsync(
            (tick, _) =>
            {
                ticks.Add(tick);
                // Tick 0 takes 65 ms (ticks 1 and 2 are missed); later ticks take exactly one interval.
                _time.Advance(TimeSpan.FromMilliseconds(tick == 0 ? 65 : 20));
                return tick >= 5;
            },
            TimeSpan.FromSeconds(1),
            CancellationToken.None);

        Assert.True(finished);
        Assert.Equal([0, 3, 4, 5], ticks);
        Assert.Equal(2, loop.LateTicks);
    }

    [Fact]
    public async Task RunAsync_OnTime_WaitsForAbsoluteScheduleWithoutDrift()
    {
        var loop = new PacingLoop(_time, PacingLoop.FrameInterval);
        var elapsedAtTick = new List<TimeSpan>();
        var run = loop.RunAsync(
            (_, elapsed) =>
            {
                elapsedAtTick.Add(elapsed);
                _time.Advance(TimeSpan.FromMilliseconds(3)); // work inside the tick must not shift the schedule
                return elapsedAtTick.Count == 3;
            },
            TimeSpan.FromSeconds(1),
            CancellationToken.None);

        for (int i = 0; i < 100 && !run.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Yield();
        }

        Assert.True(await run.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal([0, 20, 40], elapsedAtTick.Select(e => (int)e.TotalMilliseconds).ToArray());
        Assert.Equal(0, loop.LateTicks);
    }
}
