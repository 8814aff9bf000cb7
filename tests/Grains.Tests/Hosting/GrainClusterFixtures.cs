namespace Switchboard.Grains.Tests.Hosting;

/// <summary>One silo with Orleans' memory storage (as the embedded silo), shared by the tests of a class; each test uses
/// its own stream sid.</summary>
public sealed class MemoryStorageSiloFixture : IAsyncLifetime
{
    internal GrainCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await GrainCluster.StartAsync(CheckpointStorage.Memory);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>One silo whose checkpoints go to a <see cref="Fakes.TestGrainStore"/> (counted writes, outages, a slow store).</summary>
public sealed class SharedStoreSiloFixture : IAsyncLifetime
{
    internal GrainCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await GrainCluster.StartAsync(CheckpointStorage.Shared);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
