using Switchboard.Runtime.Invocation;
using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Tests.CodeGeneration;

/// <summary>
/// Test double of the runtime: takes the serialized arguments, finds the generated invoker through
/// <see cref="GrainInterfaceRegistry"/> and runs it against a local object, returning the serialized result.
/// Everything crosses as bytes, exactly as over a network.
/// </summary>
internal sealed class LoopbackRuntime : IGrainReferenceRuntime
{
    private readonly Dictionary<GrainId, object> _targets = [];

    public LoopbackRuntime() => SerializationContext = new SerializationContext(this);

    public SerializationContext SerializationContext { get; }

    public List<(Type Interface, ushort MethodId, InvocationFlags Flags)> Calls { get; } = [];

    public List<Task> OneWayTasks { get; } = [];

    public void Host(GrainId id, object target) => _targets[id] = target;

    public T GetGrain<T>(string key)
        where T : IAddressable
        => (T)(object)GetReference(typeof(T), new GrainId(GrainInterfaceRegistry.Get(typeof(T)).GrainType, key));

    public async Task<ReadOnlyMemory<byte>> InvokeAsync(GrainReference target, ushort methodId, InvocationFlags flags, CodecWriter arguments)
    {
        byte[] request;
        using (arguments)
        {
            request = arguments.ToArray();
        }

        Calls.Add((target.InterfaceType, methodId, flags));
        var descriptor = GrainInterfaceRegistry.TryGet(target.InterfaceId, out var byId) ? byId : throw new InvalidOperationException("unknown interface id");
        using var result = new CodecWriter();
        var reader = new CodecReader(request, SerializationContext);
        await descriptor.Invoker.InvokeAsync(_targets[target.GrainId], methodId, reader, result);
        if (reader.Remaining != 0)
        {
            throw new InvalidOperationException($"{reader.Remaining} argument bytes were not consumed.");
        }

        return result.ToArray();
    }

    public void InvokeOneWay(GrainReference target, ushort methodId, InvocationFlags flags, CodecWriter arguments)
        => OneWayTasks.Add(InvokeAsync(target, methodId, flags, arguments));

    public GrainReference GetReference(Type interfaceType, GrainId grainId)
        => GrainInterfaceRegistry.Get(interfaceType).CreateReference(this, grainId);
}
