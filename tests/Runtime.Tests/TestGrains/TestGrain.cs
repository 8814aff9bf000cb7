using Switchboard.Runtime.Timers;

namespace Switchboard.Runtime.Tests.TestGrains;

public sealed class TestGrainException(string message) : Exception(message);

internal sealed class TestGrain(TestProbe probe) : Grain, ITestGrain
{
    private readonly List<int> _sequence = [];
    private int _oneWayCount;
    private List<string> _stored = [];
    private IGrainTimer? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Activations.Enqueue(GetPrimaryKeyString());
        if (probe.DeactivateDuringActivation)
        {
            DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (probe.BlockDeactivation)
        {
            await probe.WaitGate("deactivate");
        }

        probe.Deactivations.Enqueue((GetPrimaryKeyString(), reason));
    }

    public async Task<int> Enter(int sequence)
    {
        probe.EnterExclusive();
        try
        {
            // Awaits inside the turn: the next request must still wait for the whole method.
            await Task.Yield();
            _sequence.Add(sequence);
            await Task.Delay(0);
            await Task.Yield();
            return _sequence.Count;
        }
        finally
        {
            probe.ExitExclusive();
        }
    }

    public Task<int[]> GetSequence() => Task.FromResult(_sequence.ToArray());

    public async Task Block(string gate)
    {
        probe.EnterExclusive();
        try
        {
            await probe.WaitGate(gate);
        }
        finally
        {
            probe.ExitExclusive();
        }
    }

    public Task<int> Peek() => Task.FromResult(_sequence.Count);

    public async Task ReadBlocked(string gate)
    {
        probe.EnterReadOnly();
        try
        {
            await probe.WaitGate(gate);
        }
        finally
        {
            probe.ExitReadOnly();
        }
    }

    public Task Throw(string kind, string message) => kind switch
    {
        "argument" => throw new ArgumentException(message, "value"),
        "invalid" => throw new InvalidOperationException(message),
        "keynotfound" => throw new KeyNotFoundException(message),
        _ => throw new TestGrainException(message),
    };

    public Task FireAndThrow(int value)
    {
        _oneWayCount += value;
        throw new InvalidOperationException("one-way failure");
    }

    public Task<int> GetOneWayCount() => Task.FromResult(_oneWayCount);

    public Task Store(List<string> items)
    {
        _stored = items;
        return Task.CompletedTask;
    }

    public Task<List<string>> GetStored() => Task.FromResult(_stored);

    public Task StartTimer(int dueSeconds, int periodSeconds, bool keepAlive, bool interleave, string gate, bool fail)
    {
        var ticks = 0;
        _timer = RegisterGrainTimer(async ct =>
        {
            probe.TickStarted();
            try
            {
                ticks++;
                if (gate.Length > 0 && ticks == 1)
                {
                    await probe.WaitGate(gate);
                }

                if (fail)
                {
                    throw new InvalidOperationException("tick failure");
                }
            }
            finally
            {
                probe.TickEnded();
            }
        }, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.FromSeconds(dueSeconds),
            Period = periodSeconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(periodSeconds),
            KeepAlive = keepAlive,
            Interleave = interleave,
        });
        return Task.CompletedTask;
    }

    public Task ChangeTimer(int dueSeconds, int periodSeconds)
    {
        _timer!.Change(TimeSpan.FromSeconds(dueSeconds), TimeSpan.FromSeconds(periodSeconds));
        return Task.CompletedTask;
    }

    public Task StopTimer()
    {
        _timer!.Dispose();
        return Task.CompletedTask;
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task DelayDeactivation(int seconds)
    {
        DelayDeactivation(TimeSpan.FromSeconds(seconds));
        return Task.CompletedTask;
    }

    public async Task Notify(ITestObserver observer, int count, bool oneWay)
    {
        for (var i = 0; i < count; i++)
        {
            if (oneWay)
            {
                await observer.OnNotify(i);
            }
            else
            {
                await observer.OnValue(i);
            }
        }
    }
}
