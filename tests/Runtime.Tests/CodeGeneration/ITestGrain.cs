namespace Switchboard.Runtime.Tests.CodeGeneration;

/// <summary>Exercises every shape the generator supports.</summary>
public interface ITestGrain : IGrainWithStringKey
{
    Task<TestPayload> Echo(TestPayload payload);

    Task Record(TestSettings settings);

    ValueTask<int> Sum(List<int> values);

    ValueTask Touch();

    [OneWay]
    Task Notify(string message);

    [AlwaysInterleave]
    Task<string> Describe();

    [ReadOnly]
    Task<string?> Subscribe(ITestObserver observer, string? note);
}
