using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Switchboard.TestInfrastructure;

/// <summary>
/// Drives an Orleans silo's grain clock with a test clock while the runtime's own loops keep real time.
/// </summary>
/// <remarks>
/// <para>Orleans 10.4.2 resolves one <see cref="TimeProvider"/> per area as a keyed service (<see cref="TimeProviderNames"/>);
/// a catch-all registration maps every key to the unkeyed provider. Grain timers (<c>RegisterGrainTimer</c>) and
/// <c>IGrainRuntime.TimeProvider</c> use <see cref="TimeProviderNames.Grains"/>; grains that take
/// <see cref="TimeProvider"/> in their constructor get the unkeyed one.</para>
/// <para>So the test clock becomes the unkeyed provider, and messaging (response timeouts), membership (probes, votes),
/// activation collection, the directory and system timers are pinned to <see cref="TimeProvider.System"/>: advancing the
/// fake clock must not declare silos dead, time out requests in flight or collect idle activations (the pattern the
/// <see cref="TimeProviderNames"/> remarks describe).</para>
/// </remarks>
public static class OrleansGrainTime
{
    /// <summary>Registers <paramref name="grainTime"/> as the silo's <see cref="TimeProvider"/> (grain timers and grain
    /// constructors) and keeps every runtime area on real time.</summary>
    public static IServiceCollection UseFakeGrainTime(this IServiceCollection services, TimeProvider grainTime)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(grainTime);
        services.AddSingleton(grainTime);
        foreach (var area in new[]
        {
            TimeProviderNames.Messaging,
            TimeProviderNames.SystemTimers,
            TimeProviderNames.Membership,
            TimeProviderNames.ActivationManagement,
            TimeProviderNames.GrainDirectory,
        })
        {
            services.AddKeyedSingleton(area, TimeProvider.System);
        }

        return services;
    }
}
