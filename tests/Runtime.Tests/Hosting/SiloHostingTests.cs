using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Hosting;
using Switchboard.Runtime.Tests.TestGrains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests.Hosting;

public sealed class SiloHostingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Start_InvalidResponseTimeout_FailsNamingTheKey()
    {
        using var host = TestSilo.Build(s => s.Configure<MessagingOptions>(o => o.ResponseTimeout = TimeSpan.Zero), output, out _);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Messaging:ResponseTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_CollectionAgeBelowQuantum_Fails()
    {
        using var host = TestSilo.Build(s => s.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromSeconds(10)), output, out _);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("CollectionAge", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_UnregisteredGrainClass_FailsWithoutActivating()
    {
        await using var silo = await TestSilo.StartAsync(s => s.AddSingleton(new TestProbe()), output);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.GrainFactory.GetGrain<ITestGrain>("x").Enter(1));

        Assert.Contains("AddGrain", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSwitchboardSilo_FromConfiguration_BindsSections()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Silo:SiloName"] = "alpha",
            ["Messaging:ResponseTimeout"] = "00:00:05",
            ["GrainCollection:CollectionAge"] = "00:20:00",
        }).Build();
        var services = new ServiceCollection().AddSwitchboardSilo(configuration);
        using var provider = services.BuildServiceProvider();

        Assert.Equal("alpha", provider.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);
        Assert.Equal(TimeSpan.FromSeconds(5), provider.GetRequiredService<IOptions<MessagingOptions>>().Value.ResponseTimeout);
        Assert.Equal(TimeSpan.FromMinutes(20), provider.GetRequiredService<IOptions<GrainCollectionOptions>>().Value.CollectionAge);
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task SecondHost_InProcessClient_SharesTheSilosGrains()
    {
        await using var silo = await TestSilo.StartAsync(s =>
        {
            s.AddSingleton(new TestProbe());
            s.AddGrain<ITestGrain, TestGrain>();
        }, output);
        using var gateway = new ServiceCollection().AddSwitchboardInProcessClient(silo.Services).BuildServiceProvider();

        await gateway.GetRequiredService<IGrainFactory>().GetGrain<ITestGrain>("shared").Enter(42);

        var sequence = await silo.GrainFactory.GetGrain<ITestGrain>("shared").GetSequence();
        Assert.Equal([42], sequence);
    }
}
