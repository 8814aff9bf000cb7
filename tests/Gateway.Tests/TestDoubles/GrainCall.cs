namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>One call recorded by a grain double: method name and its argument.</summary>
internal sealed record GrainCall(string Method, object? Argument);
