namespace Switchboard.Runtime.Tests.CodeGeneration;

/// <summary>Local observer implementation.</summary>
internal sealed class TestObserver : ITestObserver
{
    public List<string> Events { get; } = [];

    public Task<string> OnEvent(string name)
    {
        Events.Add(name);
        return Task.FromResult("observed:" + name);
    }
}
