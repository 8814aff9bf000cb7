namespace Switchboard.Runtime.Tests.CodeGeneration;

/// <summary>Local implementation that records what arrived, so tests can check values and identities.</summary>
internal sealed class TestGrain : ITestDerivedGrain
{
    public TestPayload? LastPayload { get; private set; }

    public TestSettings? LastSettings { get; private set; }

    public List<int>? LastValues { get; private set; }

    public List<string> Log { get; } = [];

    public Task<TestPayload> Echo(TestPayload payload)
    {
        LastPayload = payload;
        return Task.FromResult(payload with { Name = payload.Name + "!" });
    }

    public Task Record(TestSettings settings)
    {
        LastSettings = settings;
        return Task.CompletedTask;
    }

    public ValueTask<int> Sum(List<int> values)
    {
        LastValues = values;
        return ValueTask.FromResult(values.Sum());
    }

    public ValueTask Touch()
    {
        Log.Add("touch");
        return ValueTask.CompletedTask;
    }

    public Task Notify(string message)
    {
        Log.Add("notify:" + message);
        return Task.CompletedTask;
    }

    public Task<string> Describe() => Task.FromResult("test grain with " + Log.Count + " log entries");

    public async Task<string?> Subscribe(ITestObserver observer, string? note)
    {
        var answer = await observer.OnEvent("subscribed");
        return note is null ? answer : answer + "/" + note;
    }

    public ValueTask Ping(int value)
    {
        Log.Add("ping:" + value);
        return ValueTask.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, int>> Count(IEnumerable<string> words)
        => Task.FromResult<IReadOnlyDictionary<string, int>>(words.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count()));
}
