using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Runtime.Catalog;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Core;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.GrainDirectory;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Observers;
using Switchboard.Runtime.Storage;

namespace Switchboard.Runtime.Hosting;

/// <summary>Registration of the in-process grain runtime.</summary>
public static class SwitchboardSiloServiceCollectionExtensions
{
    /// <summary>
    /// Adds the silo: catalog, messaging, timers, idle collection, an <see cref="IGrainFactory"/> singleton and a hosted
    /// service that deactivates all grains on shutdown. Registers <see cref="TimeProvider.System"/> unless a
    /// <see cref="TimeProvider"/> is already registered. Options are validated at host start. Configure
    /// <see cref="MessagingOptions"/> and <see cref="GrainCollectionOptions"/> with <c>services.Configure&lt;T&gt;</c>.
    /// Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddSwitchboardSilo(this IServiceCollection services, Action<SiloOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return AddCore(services);
    }

    /// <summary>Adds the silo with options bound from the <c>Silo</c>, <c>Messaging</c> and <c>GrainCollection</c>
    /// sections of <paramref name="configuration"/>; see <see cref="AddSwitchboardSilo(IServiceCollection, Action{SiloOptions})"/>.</summary>
    public static IServiceCollection AddSwitchboardSilo(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SiloOptions>().Bind(configuration.GetSection(SiloOptions.SectionName));
        services.AddOptions<MessagingOptions>().Bind(configuration.GetSection(MessagingOptions.SectionName));
        services.AddOptions<GrainCollectionOptions>().Bind(configuration.GetSection(GrainCollectionOptions.SectionName));
        return AddCore(services);
    }

    /// <summary>Registers <typeparamref name="TGrain"/> as the implementation of <typeparamref name="TGrainInterface"/>.
    /// Instances are created per activation; constructor parameters come from the silo's services.</summary>
    public static IServiceCollection AddGrain<TGrainInterface, TGrain>(this IServiceCollection services)
        where TGrainInterface : IGrainWithStringKey
        where TGrain : class, TGrainInterface
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(new GrainClassRegistration(typeof(TGrainInterface), typeof(TGrain)));
        return services;
    }

    /// <summary>
    /// For a second host in the same process (e.g. a gateway): registers the silo's <see cref="IGrainFactory"/> from
    /// <paramref name="siloServices"/> (the silo host's <c>Services</c>), so both hosts share one runtime and one catalog.
    /// </summary>
    public static IServiceCollection AddSwitchboardInProcessClient(this IServiceCollection services, IServiceProvider siloServices)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(siloServices);
        services.TryAddSingleton(siloServices.GetRequiredService<IGrainFactory>());
        return services;
    }

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(GrainCatalog)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddMetrics();
        services.AddOptions<SiloOptions>().ValidateOnStart();
        services.AddOptions<MessagingOptions>().ValidateOnStart();
        services.AddOptions<GrainCollectionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrainCollectionOptions>, GrainCollectionOptionsValidator>());

        services.AddSingleton(sp => new SiloIdentity(sp.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName));
        services.AddSingleton<RuntimeInstruments>();
        services.TryAddSingleton<IMessageTransport, InProcessMessageTransport>();
        services.AddSingleton<MessageCenter>();
        services.AddSingleton<ObserverRegistry>();
        services.AddSingleton<GrainRuntime>();
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        services.AddSingleton<GrainClassRegistry>();
        services.AddSingleton<GrainCatalog>();
        services.AddSingleton<ISiloStatistics, SiloStatistics>();
        services.TryAddSingleton<IGrainStorage, InMemoryGrainStorage>();
        services.TryAddSingleton<IPersistentStateFactory, PersistentStateFactory>();
        services.TryAddSingleton<IGrainDirectory, InMemoryGrainDirectory>();
        services.AddSingleton<GrainCollector>();
        services.AddSingleton<MessageDispatcher>();
        services.AddSingleton<IMessageReceiver>(sp => sp.GetRequiredService<MessageDispatcher>());
        services.AddHostedService<SiloHostedService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ThreadPoolDelayMonitor>());
        return services;
    }
}
