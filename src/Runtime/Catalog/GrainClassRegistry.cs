using Microsoft.Extensions.DependencyInjection;
using Switchboard.Runtime.Invocation;

namespace Switchboard.Runtime.Catalog;

/// <summary>Maps grain type names (as carried in <see cref="GrainId.Type"/>) to implementation classes.</summary>
internal sealed class GrainClassRegistry
{
    private readonly Dictionary<string, GrainClass> _byGrainType = new(StringComparer.Ordinal);

    public GrainClassRegistry(IEnumerable<GrainClassRegistration> registrations)
    {
        foreach (var registration in registrations)
        {
            var grainType = GrainInterfaceRegistry.Get(registration.InterfaceType).GrainType;
            if (_byGrainType.TryGetValue(grainType, out var existing) && existing.ClassType != registration.GrainClass)
            {
                throw new InvalidOperationException(
                    $"Grain type '{grainType}' is registered twice: {existing.ClassType} and {registration.GrainClass}.");
            }

            // Compiled once per class; each activation only calls the delegate.
            _byGrainType[grainType] = new GrainClass(grainType, registration.GrainClass,
                ActivatorUtilities.CreateFactory(registration.GrainClass, Type.EmptyTypes));
        }
    }

    public bool TryGet(string grainType, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GrainClass? grainClass)
        => _byGrainType.TryGetValue(grainType, out grainClass);
}
