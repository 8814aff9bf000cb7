using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;
using Switchboard.Grains.Applications;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Tests.Fakes;
using Switchboard.TestInfrastructure;

namespace Switchboard.Grains.Tests.Hosting;

/// <summary>Where a <see cref="GrainCluster"/> keeps the connection grains' checkpoints.</summary>
internal enum CheckpointStorage
{
    /// <summary>Orleans' memory storage, as the embedded silo has it (records live in a grain on one silo).</summary>
    Memory,

    /// <summary>A <see cref="TestGrainStore"/> shared by every silo (a database: records outlive silos; JSON like the
    /// cluster mode; can fail or be slow).</summary>
    Shared,
}

/// <summary>
/// Orleans' <see cref="InProcessTestCluster"/> with the Switchboard grains as the silos host them
/// (<see cref="GrainsServiceCollectionExtensions.AddSwitchboardGrains"/>, storage "connections"), grain time on a
/// <see cref="FakeTimeProvider"/> (the runtime's own loops on real time, see <see cref="OrleansGrainTime"/>), and the
/// Switchboard log events of every silo captured.
/// </summary>
internal sealed class GrainCluster : IAsyncDisposable
{
    private GrainCluster(InProcessTestCluster cluster, FakeTimeProvider time, LogCapture logs, TestGrainStore store)
    {
        Cluster = cluster;
        Time = time;
        Logs = logs;
        Store = store;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    /// <summary>The grains' clock (timers and the sessions' time) on every silo.</summary>
    public FakeTimeProvider Time { get; }

    public LogCapture Logs { get; }

    /// <summary>The shared store (empty and unused with <see cref="CheckpointStorage.Memory"/>).</summary>
    public TestGrainStore Store { get; }

    public static async Task<GrainCluster> StartAsync(
        CheckpointStorage storage,
        short silos = 1,
        Dictionary<string, string?>? settings = null,
        ICallApplication? application = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var logs = new LogCapture();
        var store = new TestGrainStore();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            if (storage == CheckpointStorage.Memory)
            {
                silo.AddMemoryGrainStorage(ConnectionGrain.StorageName);
            }
            else
            {
                silo.Services.AddGrainStorage(ConnectionGrain.StorageName,
                    (services, _) => store.For(ActivatorUtilities.CreateInstance<SystemTextJsonGrainStorageSerializer>(services)));
            }

            silo.Services.UseFakeGrainTime(time);
            // Debug too: some checkpoint events under test (a write still failing) are debug lines.
            silo.Services.AddLogging(logging => logging.AddProvider(logs).AddFilter<LogCapture>("Switchboard", LogLevel.Debug));
            if (application is not null)
            {
                silo.Services.TryAddSingleton(application);
            }

            silo.Services.AddSwitchboardGrains(configuration);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new GrainCluster(cluster, time, logs, store);
    }

    /// <summary>The silo holding <paramref name="grain"/>'s live activation, or null when it has none.</summary>
    public InProcessSiloHandle? HostOf(IAddressable grain)
        => Cluster.TryGetGrainContext(grain.GetGrainId(), out var context) && context.Address.SiloAddress is { } address ? Cluster.GetSiloForAddress(address) : null;

    /// <summary>True while <paramref name="grain"/> has a live activation on some silo.</summary>
    public bool IsActive(IAddressable grain) => Cluster.TryGetGrainContext(grain.GetGrainId(), out _);

    /// <summary>Stops <paramref name="silo"/> gracefully while grain time passes (50 ms per poll): a deactivating
    /// connection grain waits up to 2 s of grain time for its last outbound batch, and retries a failed one after grain-time
    /// delays, so with the clock standing still a stop would wait for Orleans' deactivation timeout instead.</summary>
    public Task StopSiloAsync(InProcessSiloHandle silo) => WhileTimePassesAsync(Cluster.StopSiloAsync(silo), $"silo {silo.SiloAddress} stopping");

    public async ValueTask DisposeAsync() => await WhileTimePassesAsync(Cluster.DisposeAsync().AsTask(), "the test cluster shutting down");

    private async Task WhileTimePassesAsync(Task operation, string what)
    {
        await TestWait.UntilAsync(() =>
        {
            if (!operation.IsCompleted)
            {
                Time.Advance(TimeSpan.FromMilliseconds(50));
            }

            return operation.IsCompleted;
        }, what, timeout: TimeSpan.FromSeconds(30));
        await operation;
    }
}
