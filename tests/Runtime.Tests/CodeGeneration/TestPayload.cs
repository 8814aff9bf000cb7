namespace Switchboard.Runtime.Tests.CodeGeneration;

/// <summary>A record with primary-constructor members, nullable members and a collection.</summary>
[GenerateSerializer]
public sealed record TestPayload(
    [property: Id(0)] string Name,
    [property: Id(1)] int? Count,
    [property: Id(2)] byte[]? Data,
    [Id(3)] IReadOnlyList<string> Tags,
    [property: Id(4)] TestColor Color);
