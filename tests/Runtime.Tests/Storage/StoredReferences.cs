using Switchboard.Runtime.Tests.TestGrains;

namespace Switchboard.Runtime.Tests.Storage;

/// <summary>A state record that holds a grain reference and an observer reference.</summary>
[GenerateSerializer]
public sealed record StoredReferences(
    [property: Id(0)] string Name,
    [property: Id(1)] ITestGrain Grain,
    [property: Id(2)] ITestObserver? Observer,
    [property: Id(3)] IReadOnlyList<int> Values);
