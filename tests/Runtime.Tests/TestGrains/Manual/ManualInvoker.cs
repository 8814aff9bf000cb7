using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Tests.TestGrains.Manual;

internal sealed class ManualInvoker(IReadOnlyList<ManualMethod> methods) : IGrainInvoker
{
    public IReadOnlyList<ManualMethod> Methods => methods;

    public InvocationFlags GetFlags(ushort methodId) => Get(methodId).Flags;

    public string GetMethodName(ushort methodId) => Get(methodId).Name;

    public ValueTask InvokeAsync(object target, ushort methodId, CodecReader arguments, CodecWriter result)
        => Get(methodId).Invoke(target, arguments, result);

    private ManualMethod Get(ushort methodId)
        => methodId < methods.Count ? methods[methodId] : throw new CodecException($"Unknown method id {methodId}.");
}
