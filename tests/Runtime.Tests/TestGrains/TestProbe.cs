using System.Collections.Concurrent;

namespace Switchboard.Runtime.Tests.TestGrains;

/// <summary>Shared test double injected into test grains: records what happened and holds gates tests open and close.</summary>
public sealed class TestProbe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<string, int> _entered = new();
    private int _inside;
    private int _maxInside;
    private int _readOnlyInside;
    private int _maxReadOnlyInside;
    private int _ticksStarted;
    private int _ticksInside;
    private int _maxTicksInside;

    public ConcurrentQueue<string> Activations { get; } = new();

    public ConcurrentQueue<(string Key, DeactivationReason Reason)> Deactivations { get; } = new();

    public volatile bool FailActivation;

    public volatile bool BlockActivation;

    public volatile bool BlockDeactivation;

    public volatile bool DeactivateDuringActivation;

    public int ActivationAttempts;

    public int MaxInside => Volatile.Read(ref _maxInside);

    public int MaxReadOnlyInside => Volatile.Read(ref _maxReadOnlyInside);

    public int TicksStarted => Volatile.Read(ref _ticksStarted);

    public int MaxTicksInside => Volatile.Read(ref _maxTicksInside);

    public int ActivationCount(string key) => Activations.Count(k => k == key);

    public int DeactivationCount(string key) => Deactivations.Count(d => d.Key == key);

    public int Entered(string gate) => _entered.GetValueOrDefault(gate);

    public Task WaitGate(string gate)
    {
        _entered.AddOrUpdate(gate, 1, (_, n) => n + 1);
        return _gates.GetOrAdd(gate, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }

    public void Open(string gate)
        => _gates.GetOrAdd(gate, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public void Close(string gate) => _gates[gate] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Times an exclusive and a read-only request were inside the grain together.</summary>
    public int Violations;

    public void EnterExclusive()
    {
        if (Volatile.Read(ref _readOnlyInside) > 0)
        {
            Interlocked.Increment(ref Violations);
        }

        Track(ref _inside, ref _maxInside, +1);
    }

    public void ExitExclusive() => Track(ref _inside, ref _maxInside, -1);

    public void EnterReadOnly()
    {
        if (Volatile.Read(ref _inside) > 0)
        {
            Interlocked.Increment(ref Violations);
        }

        Track(ref _readOnlyInside, ref _maxReadOnlyInside, +1);
    }

    public void ExitReadOnly() => Track(ref _readOnlyInside, ref _maxReadOnlyInside, -1);

    public void TickStarted()
    {
        Interlocked.Increment(ref _ticksStarted);
        Track(ref _ticksInside, ref _maxTicksInside, +1);
    }

    public void TickEnded() => Track(ref _ticksInside, ref _maxTicksInside, -1);

    private static void Track(ref int current, ref int max, int delta)
    {
        var now = Interlocked.Add(ref current, delta);
        int seen;
        while (now > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, now, seen) != seen)
        {
        }
    }
}
