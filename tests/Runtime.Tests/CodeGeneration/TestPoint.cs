namespace Switchboard.Runtime.Tests.CodeGeneration;

/// <summary>A struct restored through a constructor plus a settable field.</summary>
[GenerateSerializer]
public struct TestPoint(int x, int y)
{
    [Id(0)]
    public int X { get; } = x;

    [Id(1)]
    public int Y { get; } = y;

    [Id(2)]
    public string? Tag;
}
