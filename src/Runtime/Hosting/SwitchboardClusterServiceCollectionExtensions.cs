using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Core;
using Switchboard.Runtime.Diagnostics;
using Switchboard.Runtime.GrainDirectory;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Networking;
using Switchboard.Runtime.Observers;
using Switchboard.Runtime.Placement;
using Switchboard.Runtime.Storage;

namespace Switchboard.Runtime.Hosting;

/// <summary>
/// Registration of cluster mode: a silo that joins a cluster over TCP (<see cref="AddSwitchboardClusterSilo"/>) and a
/// cluster client such as a gateway (<see cref="AddSwitchboardClusterClient"/>). Both read <c>Cluster</c>
/// (<see cref="ClusterOptions"/>), <c>ConnectionStrings:Cluster</c>, <c>Membership</c>, <c>Networking</c> and
/// <c>Routing</c>. With <c>Cluster:Membership=Postgres</c> the membership table, grain directory and grain state live
/// in PostgreSQL; with <c>InMemory</c> they are per-process singletons, unless the caller registered shared instances
/// of <see cref="IMembershipTable"/>, <see cref="IGrainDirectory"/> and <see cref="IGrainStorage"/> first (the
/// in-process test cluster does).
/// </summary>
public static class SwitchboardClusterServiceCollectionExtensions
{
    /// <summary>Adds a cluster silo: the silo runtime of <c>AddSwitchboardSilo</c>, plus TCP transport, membership
    /// agent, grain directory, persistent state and routing. Grains are added with <c>AddGrain</c> as usual.</summary>
    public static IServiceCollection AddSwitchboardClusterSilo(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddClusterShared(services, configuration);
        services.AddSwitchboardSilo(configuration);

        services.Replace(ServiceDescriptor.Singleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SiloOptions>>().Value;
            var generation = SiloAddress.NewGeneration(sp.GetRequiredService<TimeProvider>());
            var port = options.Port == 0 ? FreePort.Pick(options.ListenAddress) : options.Port;
            return SiloIdentity.ForSilo(options.SiloName, new SiloAddress(options.AdvertisedAddress, port, generation));
        }));
        services.AddSingleton<MembershipAgent>();
        services.AddSingleton<IClusterMembershipService>(sp => sp.GetRequiredService<MembershipAgent>());
        services.AddSingleton<IClusterRouting>(sp => sp.GetRequiredService<ClusterMessageRouter>());
        services.AddHostedService<ClusterSiloHostedService>();
        return services;
    }

    /// <summary>Adds a cluster client named <paramref name="clientName"/> (a gateway): an <see cref="IGrainFactory"/>
    /// whose calls go over TCP to the silos, observers the silos can call back, and a membership reader.</summary>
    public static IServiceCollection AddSwitchboardClusterClient(this IServiceCollection services, IConfiguration configuration, string clientName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        AddClusterShared(services, configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddMetrics();
        services.AddOptions<MessagingOptions>().Bind(configuration.GetSection(MessagingOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>());
        services.AddSingleton(sp => SiloIdentity.ForClient(clientName, SiloAddress.NewGeneration(sp.GetRequiredService<TimeProvider>())));
        services.TryAddSingleton<RuntimeInstruments>();
        services.AddSingleton<MessageCenter>();
        services.AddSingleton<ObserverRegistry>();
        services.AddSingleton<GrainRuntime>();
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        services.AddSingleton<IMessageReceiver, ClientMessageDispatcher>();
        services.AddSingleton<MembershipTableReader>();
        services.AddSingleton<IClusterMembershipService>(sp => sp.GetRequiredService<MembershipTableReader>());
        services.AddHostedService<ClusterClientHostedService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ThreadPoolDelayMonitor>());
        return services;
    }

    private static void AddClusterShared(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>()
            .Bind(configuration.GetSection(ClusterOptions.SectionName))
            .Configure(o => o.ConnectionString ??= configuration.GetConnectionString(ClusterOptions.ConnectionStringName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        services.AddOptions<ClusterMembershipOptions>().Bind(configuration.GetSection(ClusterMembershipOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterMembershipOptions>, ClusterMembershipOptionsValidator>());
        services.AddOptions<NetworkingOptions>().Bind(configuration.GetSection(NetworkingOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NetworkingOptions>, NetworkingOptionsValidator>());
        services.AddOptions<RoutingOptions>().Bind(configuration.GetSection(RoutingOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RoutingOptions>, RoutingOptionsValidator>());

        var kind = configuration.GetSection(ClusterOptions.SectionName).GetValue(nameof(ClusterOptions.Membership), MembershipProviderKind.InMemory);
        if (kind == MembershipProviderKind.Postgres)
        {
            services.TryAddSingleton<ClusterDatabase>();
            services.TryAddSingleton<IMembershipTable>(sp => new PostgresMembershipTable(sp.GetRequiredService<ClusterDatabase>().DataSource, ClusterId(sp)));
            services.TryAddSingleton<IGrainDirectory, PostgresGrainDirectory>();
            services.TryAddSingleton<IGrainStorage, PostgresGrainStorage>();
        }
        else
        {
            services.TryAddSingleton<IMembershipTable, InMemoryMembershipTable>();
            services.TryAddSingleton<IGrainDirectory, InMemoryGrainDirectory>();
            services.TryAddSingleton<IGrainStorage, InMemoryGrainStorage>();
        }

        services.AddSingleton<ConnectionManager>();
        services.AddSingleton<IClusterConnections>(sp => sp.GetRequiredService<ConnectionManager>());
        services.AddSingleton<ISiloProber>(sp => sp.GetRequiredService<ConnectionManager>());
        services.AddSingleton<IClusterConnectivity>(sp => sp.GetRequiredService<ConnectionManager>());
        services.AddSingleton<PlacementDirector>();
        services.AddSingleton<ClusterMessageRouter>();
        services.Replace(ServiceDescriptor.Singleton<IMessageTransport>(sp => sp.GetRequiredService<ClusterMessageRouter>()));
    }

    private static string ClusterId(IServiceProvider services) => services.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId;
}
