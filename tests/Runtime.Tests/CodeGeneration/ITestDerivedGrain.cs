namespace Switchboard.Runtime.Tests.CodeGeneration;

/// <summary>Inherits <see cref="ITestGrain"/>: its methods come first in the wire order.</summary>
[GrainType("custom-derived")]
public interface ITestDerivedGrain : ITestGrain
{
    [OneWay]
    ValueTask Ping(int value);

    Task<IReadOnlyDictionary<string, int>> Count(IEnumerable<string> words);
}
