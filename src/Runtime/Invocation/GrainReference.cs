using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Invocation;

/// <summary>
/// Base of generated proxies. A reference is a value: it holds only the target identity and the runtime that
/// routes calls, so it can be serialized and rebuilt anywhere in the cluster. Arguments are always serialized,
/// even in-process, so a network between caller and grain changes nothing for grain code.
/// </summary>
public abstract class GrainReference : IAddressable, IEquatable<GrainReference>
{
    /// <summary>Creates a reference.</summary>
    protected GrainReference(IGrainReferenceRuntime runtime, GrainId grainId)
    {
        Runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
        GrainId = grainId;
    }

    /// <summary>The target identity.</summary>
    public GrainId GrainId { get; }

    /// <summary>The runtime that routes this reference's calls.</summary>
    public IGrainReferenceRuntime Runtime { get; }

    /// <summary>Wire id of the interface this proxy implements.</summary>
    public abstract uint InterfaceId { get; }

    /// <summary>The interface this proxy implements.</summary>
    public abstract Type InterfaceType { get; }

    /// <summary>Creates the writer that generated code fills with arguments.</summary>
    protected static CodecWriter CreateArgumentWriter() => new(128);

    /// <summary>Request/response call of a void method.</summary>
    protected async Task InvokeVoidAsync(ushort methodId, InvocationFlags flags, CodecWriter arguments)
        => await Runtime.InvokeAsync(this, methodId, flags, arguments).ConfigureAwait(false);

    /// <summary>Request/response call returning <typeparamref name="T"/>.</summary>
    protected async Task<T> InvokeAsync<T>(ushort methodId, InvocationFlags flags, CodecWriter arguments)
    {
        var body = await Runtime.InvokeAsync(this, methodId, flags, arguments).ConfigureAwait(false);
        return new CodecReader(body, Runtime.SerializationContext).Read<T>();
    }

    /// <summary>One-way call: returns a completed task once the message is handed to the runtime.</summary>
    protected Task InvokeOneWay(ushort methodId, InvocationFlags flags, CodecWriter arguments)
    {
        Runtime.InvokeOneWay(this, methodId, flags, arguments);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public bool Equals(GrainReference? other) => other is not null && other.GrainId == GrainId && other.InterfaceId == InterfaceId;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GrainReference other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(GrainId, InterfaceId);

    /// <inheritdoc />
    public override string ToString() => $"{InterfaceType.Name}:{GrainId}";
}
