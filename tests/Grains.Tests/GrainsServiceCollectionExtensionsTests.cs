using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Grains.Applications;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Health;

namespace Switchboard.Grains.Tests;

public class GrainsServiceCollectionExtensionsTests
{
    [Fact]
    public void AddSwitchboardGrains_InvalidOption_ThrowsNamingKey()
    {
        using var provider = Build(new() { ["ConnectionGrain:HeartbeatTimeout"] = "00:00:00" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ConnectionGrainOptions>>().Value);

        Assert.Contains("ConnectionGrain:HeartbeatTimeout must be > 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSwitchboardGrains_UnknownApplication_ThrowsNamingValue()
    {
        using var provider = Build(new() { ["Application"] = "nope" });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ICallApplication>());

        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSwitchboardGrains_Defaults_EchoAndBoundOptions()
    {
        using var provider = Build(new() { ["ConnectionGrain:RateLimitBurst"] = "300", ["Health:LatencyThresholdMs"] = "150" });

        Assert.IsType<EchoApplication>(provider.GetRequiredService<ICallApplication>());
        Assert.Equal(300, provider.GetRequiredService<IOptions<ConnectionGrainOptions>>().Value.RateLimitBurst);
        Assert.Equal(150, provider.GetRequiredService<IOptions<HealthOptions>>().Value.LatencyThresholdMs);
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddSwitchboardGrains(configuration).BuildServiceProvider();
    }
}
