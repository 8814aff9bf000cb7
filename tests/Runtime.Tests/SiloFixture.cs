using Microsoft.Extensions.DependencyInjection;
using Switchboard.Runtime.Catalog;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Hosting;
using Switchboard.Runtime.Tests.TestGrains;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Runtime.Tests;

/// <summary>Per-test silo with the test grains, a shared <see cref="TestProbe"/> and fake time.</summary>
public abstract class SiloFixture(ITestOutputHelper output) : IAsyncLifetime
{
    private TestSilo? _silo;

    protected TestProbe Probe { get; } = new();

    protected TestSilo Silo => _silo ?? throw new InvalidOperationException("Silo not started.");

    protected IGrainFactory Grains => Silo.GrainFactory;

    internal GrainCatalog Catalog => Silo.Services.GetRequiredService<GrainCatalog>();

    public virtual async Task InitializeAsync()
        => _silo = await TestSilo.StartAsync(services =>
        {
            services.AddSingleton(Probe);
            services.AddGrain<ITestGrain, TestGrain>();
            services.AddGrain<IFailingGrain, FailingGrain>();
            services.Configure<GrainCollectionOptions>(o =>
            {
                o.CollectionAge = TimeSpan.FromMinutes(2);
                o.CollectionQuantum = TimeSpan.FromMinutes(1);
            });
            services.Configure<MessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        }, output);

    public virtual async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    /// <summary>Waits until no turn of <paramref name="activation"/> is running or queued, so its idle clock has settled
    /// (activity is recorded when a turn completes, which can be just after the caller saw the response).</summary>
    internal static Task WaitQuiescent(GrainActivation activation)
        => TestWait.UntilAsync(() => activation.RunningCount == 0, $"activation {activation.GrainId} has no running turns",
            () => $"{activation.RunningCount} running or queued");

    internal GrainActivation ActivationOf(string grainType, string key)
        => Catalog.TryGetActivation(new GrainId(grainType, key), out var activation)
            ? activation
            : throw new InvalidOperationException($"No activation of {grainType}/{key}.");
}
