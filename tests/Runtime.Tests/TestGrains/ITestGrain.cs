using Switchboard.Runtime;

namespace Switchboard.Runtime.Tests.TestGrains;

[GrainType("rt-test")]
public interface ITestGrain : IGrainWithStringKey
{
    Task<int> Enter(int sequence);

    Task<int[]> GetSequence();

    Task Block(string gate);

    [AlwaysInterleave]
    Task<int> Peek();

    [ReadOnly]
    Task ReadBlocked(string gate);

    Task Throw(string kind, string message);

    [OneWay]
    Task FireAndThrow(int value);

    Task<int> GetOneWayCount();

    Task Store(List<string> items);

    Task<List<string>> GetStored();

    Task StartTimer(int dueSeconds, int periodSeconds, bool keepAlive, bool interleave, string gate, bool fail);

    Task ChangeTimer(int dueSeconds, int periodSeconds);

    Task StopTimer();

    Task Deactivate();

    Task DelayDeactivation(int seconds);

    Task Notify(ITestObserver observer, int count, bool oneWay);
}
