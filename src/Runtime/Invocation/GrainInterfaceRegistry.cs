using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Switchboard.Runtime.Invocation;

/// <summary>
/// Process-wide table of generated interface metadata. Generated code registers each interface from a module
/// initializer; lookups force that initializer to run (a <c>typeof</c> alone does not), so no assembly scanning is needed.
/// </summary>
public static class GrainInterfaceRegistry
{
    private static readonly ConcurrentDictionary<Type, GrainInterfaceDescriptor> ByType = new();
    private static readonly ConcurrentDictionary<uint, GrainInterfaceDescriptor> ById = new();
    private static readonly ConcurrentDictionary<string, GrainInterfaceDescriptor> ByGrainType = new(StringComparer.Ordinal);

    /// <summary>Called by generated code.</summary>
    public static void Register(GrainInterfaceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ByType[descriptor.InterfaceType] = descriptor;
        if (!ById.TryAdd(descriptor.InterfaceId, descriptor) && ById[descriptor.InterfaceId].InterfaceType != descriptor.InterfaceType)
        {
            throw new InvalidOperationException(
                $"Interface id {descriptor.InterfaceId} of {descriptor.InterfaceType} collides with {ById[descriptor.InterfaceId].InterfaceType}.");
        }

        // Two interfaces with one grain type name would route each other's messages to the wrong class; fail at
        // start-up (module initializer) rather than silently keeping whichever registered last.
        if (!descriptor.IsObserver
            && !ByGrainType.TryAdd(descriptor.GrainType, descriptor)
            && ByGrainType[descriptor.GrainType].InterfaceType != descriptor.InterfaceType)
        {
            throw new InvalidOperationException(
                $"Grain type '{descriptor.GrainType}' of {descriptor.InterfaceType} is already used by {ByGrainType[descriptor.GrainType].InterfaceType}; " +
                "rename one interface or give it [GrainType(\"...\")].");
        }
    }

    /// <summary>Metadata of <paramref name="interfaceType"/>; throws if the interface has no generated code.</summary>
    public static GrainInterfaceDescriptor Get(Type interfaceType)
    {
        ArgumentNullException.ThrowIfNull(interfaceType);
        if (ByType.TryGetValue(interfaceType, out var descriptor))
        {
            return descriptor;
        }

        RuntimeHelpers.RunModuleConstructor(interfaceType.Module.ModuleHandle);
        return ByType.TryGetValue(interfaceType, out descriptor)
            ? descriptor
            : throw new InvalidOperationException(
                $"No generated code for {interfaceType}. Its project must reference Runtime.CodeGenerator as an analyzer.");
    }

    /// <summary>Looks up metadata by wire id.</summary>
    public static bool TryGet(uint interfaceId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GrainInterfaceDescriptor? descriptor)
        => ById.TryGetValue(interfaceId, out descriptor);

    /// <summary>Looks up a grain interface by grain type name.</summary>
    public static bool TryGetByGrainType(string grainType, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GrainInterfaceDescriptor? descriptor)
        => ByGrainType.TryGetValue(grainType, out descriptor);
}
