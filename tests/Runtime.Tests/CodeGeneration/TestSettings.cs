namespace Switchboard.Runtime.Tests.CodeGeneration;

/// <summary>A class restored through init properties (no matching constructor), with ids out of declaration order.</summary>
[GenerateSerializer]
public sealed class TestSettings
{
    [Id(2)]
    public string? Label { get; init; }

    [Id(0)]
    public TimeSpan Timeout { get; init; }

    [Id(1)]
    public Dictionary<string, string> Extra { get; init; } = [];

    public string NotSerialized { get; set; } = "default";
}
