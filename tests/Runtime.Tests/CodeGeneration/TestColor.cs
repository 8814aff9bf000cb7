namespace Switchboard.Runtime.Tests.CodeGeneration;

/// <summary>An enum member of a generated record (enums use the built-in codec).</summary>
[GenerateSerializer]
public enum TestColor
{
    Red,
    Green,
}
