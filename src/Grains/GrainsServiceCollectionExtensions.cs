using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Grains.Applications;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Health;

namespace Switchboard.Grains;

/// <summary>DI registration of the grains' options, services and call applications.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>Configuration key that selects the call application (default <see cref="EchoApplication.Name"/>).</summary>
    public const string ApplicationKey = "Application";

    /// <summary>
    /// Registers <see cref="ConnectionGrainOptions"/> (section <c>ConnectionGrain</c>) and <see cref="HealthOptions"/>
    /// (section <c>Health</c>), both validated at start, <see cref="TimeProvider.System"/> unless one is registered, the
    /// connection grains' <see cref="ConnectionInstruments"/>, the
    /// embedded <see cref="EchoApplication"/> as keyed <see cref="ICallApplication"/> "echo", and <see cref="ICallApplication"/>
    /// resolved from the keyed application named by <c>Application</c>. Other applications register with
    /// <c>services.AddKeyedSingleton&lt;ICallApplication, MyApp&gt;("name")</c>. Grain classes themselves are registered by
    /// the host's runtime (<c>AddGrain</c>).
    /// </summary>
    public static IServiceCollection AddSwitchboardGrains(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<ConnectionGrainOptions>().Bind(configuration.GetSection(ConnectionGrainOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConnectionGrainOptions>, ConnectionGrainOptionsValidator>());
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ConnectionInstruments>();

        services.TryAddKeyedSingleton<ICallApplication, EchoApplication>(EchoApplication.Name);
        var name = configuration[ApplicationKey];
        name = string.IsNullOrWhiteSpace(name) ? EchoApplication.Name : name.Trim();
        services.TryAddSingleton(sp => sp.GetKeyedService<ICallApplication>(name)
            ?? throw new InvalidOperationException($"{ApplicationKey} must name a registered call application, but was '{name}'."));
        return services;
    }
}
