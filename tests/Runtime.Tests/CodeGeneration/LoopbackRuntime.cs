using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Tests.CodeGeneration;

/// <summary>
/// A minimal runtime for generated code: serializes the call, dispatches it through the generated invoker to a
/// local target and returns the serialized result. It proves the generated proxy/invoker pair round-trips through
/// bytes without the catalog or scheduler.
/// </summary>
internal sealed class LoopbackRuntime(object target) : IGrainReferenceRuntime
{
    public SerializationContext SerializationContext => new(this);

    public List<(ushort MethodId, InvocationFlags Flags)> Calls { get; } = [];

    public async Task<ReadOnlyMemory<byte>> InvokeAsync(GrainReference reference, ushort methodId, InvocationFlags flags, CodecWriter arguments)
    {
        using (arguments)
        {
            Calls.Add((methodId, flags));
            var descriptor = GrainInterfaceRegistry.Get(reference.InterfaceType);
            using var result = new CodecWriter();
            await descriptor.Invoker.InvokeAsync(target, methodId, new CodecReader(arguments.ToArray(), SerializationContext), result);
            return result.ToArray();
        }
    }

    public void InvokeOneWay(GrainReference reference, ushort methodId, InvocationFlags flags, CodecWriter arguments)
        => _ = InvokeAsync(reference, methodId, flags, arguments);

    public GrainReference GetReference(Type interfaceType, GrainId grainId)
        => GrainInterfaceRegistry.Get(interfaceType).CreateReference(this, grainId);
}
