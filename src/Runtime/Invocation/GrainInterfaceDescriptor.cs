namespace Switchboard.Runtime.Invocation;

/// <summary>Generated metadata of one grain or observer interface.</summary>
/// <param name="InterfaceType">The interface.</param>
/// <param name="InterfaceId">Stable id (FNV-1a of the interface's full name) carried on the wire.</param>
/// <param name="GrainType">Grain type name used in <see cref="GrainId.Type"/> (grain interfaces only).</param>
/// <param name="IsObserver">True for <see cref="IGrainObserver"/> interfaces.</param>
/// <param name="CreateReference">Creates the generated proxy.</param>
/// <param name="Invoker">The generated invoker.</param>
public sealed record GrainInterfaceDescriptor(
    Type InterfaceType,
    uint InterfaceId,
    string GrainType,
    bool IsObserver,
    Func<IGrainReferenceRuntime, GrainId, GrainReference> CreateReference,
    IGrainInvoker Invoker);
