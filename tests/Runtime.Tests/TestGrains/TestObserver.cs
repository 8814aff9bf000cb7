using System.Collections.Concurrent;

namespace Switchboard.Runtime.Tests.TestGrains;

internal sealed class TestObserver : ITestObserver
{
    private int _inside;

    public ConcurrentQueue<int> Values { get; } = new();

    public int MaxInside { get; private set; }

    public async Task OnValue(int value)
    {
        var inside = Interlocked.Increment(ref _inside);
        MaxInside = Math.Max(MaxInside, inside);
        await Task.Yield();
        Values.Enqueue(value);
        Interlocked.Decrement(ref _inside);
    }

    public Task OnNotify(int value) => OnValue(value);
}
