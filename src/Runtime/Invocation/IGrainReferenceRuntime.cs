using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Invocation;

/// <summary>
/// The runtime behind generated grain references: sends a serialized invocation to wherever the target lives and
/// returns the serialized result. Implemented by the silo (in-process dispatch) and by cluster clients (network).
/// </summary>
public interface IGrainReferenceRuntime
{
    /// <summary>Serialization context used to read results and rebuild references.</summary>
    SerializationContext SerializationContext { get; }

    /// <summary>Sends a request. The runtime takes ownership of <paramref name="arguments"/> and disposes it.
    /// Completes with the serialized result (empty for void methods), or faults with the remote exception,
    /// a <see cref="TimeoutException"/> after the response timeout, or <see cref="SiloUnavailableException"/>.</summary>
    Task<ReadOnlyMemory<byte>> InvokeAsync(GrainReference target, ushort methodId, InvocationFlags flags, CodecWriter arguments);

    /// <summary>Sends a one-way message. The runtime takes ownership of <paramref name="arguments"/>.
    /// Never throws for delivery failures (they are logged).</summary>
    void InvokeOneWay(GrainReference target, ushort methodId, InvocationFlags flags, CodecWriter arguments);

    /// <summary>Creates a reference of interface <paramref name="interfaceType"/> to <paramref name="grainId"/>.</summary>
    GrainReference GetReference(Type interfaceType, GrainId grainId);
}
