using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Storage;

namespace Switchboard.Postgres.Storage;

/// <summary>Puts <see cref="CircuitBreakingGrainStorage"/> in front of a grain storage provider already registered on the
/// silo.</summary>
public static class GrainStorageCircuitBreakerExtensions
{
    /// <summary>Key of the <see cref="TimeProvider"/> the breaker runs on. Unregistered, Orleans' catch-all keyed
    /// registration resolves it to the silo's default clock; a test registers a fake clock under this key alone.</summary>
    public const string TimeProviderKey = "Switchboard.Postgres.StorageCircuitBreaker";

    /// <summary>
    /// Wraps the keyed <see cref="IGrainStorage"/> named <paramref name="storageName"/> in a circuit breaker configured
    /// from <see cref="GrainStorageCircuitBreakerOptions.SectionName"/> (named options <paramref name="storageName"/>),
    /// validated at start.
    /// </summary>
    /// <param name="silo">The silo builder.</param>
    /// <param name="storageName">A storage provider name added before this call.</param>
    /// <returns>The silo builder.</returns>
    /// <exception cref="InvalidOperationException">No keyed grain storage named <paramref name="storageName"/> is registered yet.</exception>
    /// <remarks>The decorator replaces the provider's keyed registration in place; Orleans' lifecycle registration for
    /// the provider resolves that keyed service, so it now gets the decorator, which passes lifecycle participation on.</remarks>
    public static ISiloBuilder AddGrainStorageCircuitBreaker(this ISiloBuilder silo, string storageName)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrWhiteSpace(storageName);
        var services = silo.Services;
        var index = FindStorage(services, storageName);
        var registered = services[index];

        services.AddOptions<GrainStorageCircuitBreakerOptions>(storageName)
            .BindConfiguration(GrainStorageCircuitBreakerOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrainStorageCircuitBreakerOptions>, GrainStorageCircuitBreakerOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<GrainStorageCircuitInstruments>();

        services[index] = ServiceDescriptor.KeyedSingleton<IGrainStorage>(storageName, (provider, key) => new CircuitBreakingGrainStorage(
            storageName,
            CreateInner(registered, provider, key),
            provider.GetRequiredService<IOptionsMonitor<GrainStorageCircuitBreakerOptions>>().Get(storageName),
            provider.GetKeyedService<TimeProvider>(TimeProviderKey) ?? provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetRequiredService<GrainStorageCircuitInstruments>(),
            provider.GetRequiredService<ILogger<CircuitBreakingGrainStorage>>()));
        return silo;
    }

    private static int FindStorage(IServiceCollection services, string storageName)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            if (descriptor.IsKeyedService && descriptor.ServiceType == typeof(IGrainStorage) && Equals(descriptor.ServiceKey, storageName))
            {
                return i;
            }
        }

        throw new InvalidOperationException(
            $"No grain storage named '{storageName}' is registered, so there is nothing to put a circuit breaker in front of; add the storage first.");
    }

    private static IGrainStorage CreateInner(ServiceDescriptor registered, IServiceProvider provider, object? key) => registered switch
    {
        { KeyedImplementationFactory: { } factory } => (IGrainStorage)factory(provider, key),
        { KeyedImplementationInstance: IGrainStorage instance } => instance,
        { KeyedImplementationType: { } type } => (IGrainStorage)ActivatorUtilities.CreateInstance(provider, type),
        _ => throw new InvalidOperationException($"The grain storage registration for '{key}' has no factory, instance or type."),
    };
}
