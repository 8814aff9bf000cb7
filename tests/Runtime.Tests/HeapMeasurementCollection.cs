namespace Switchboard.Runtime.Tests;

/// <summary>
/// Tests that read the process-wide heap (<see cref="GC.GetTotalMemory(bool)"/>) run in this collection: one at a
/// time and after the parallel tests, so another test's allocations are not counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurementCollection
{
    public const string Name = "heap measurement";
}
