using Switchboard.Runtime.Storage;

namespace Switchboard.Runtime.Tests.Storage;

public sealed class InMemoryGrainStorageTests : GrainStorageContractTests
{
    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult<IGrainStorage>(new InMemoryGrainStorage());

    [Fact]
    public async Task Read_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Storage.ReadAsync(Grain, "session", cts.Token));
    }

    [Fact]
    public async Task Count_TracksWritesAndClears()
    {
        var storage = (InMemoryGrainStorage)Storage;
        var etag = await storage.WriteAsync(Grain, "session", new byte[] { 1 }, null, default);
        Assert.Equal(1, storage.Count);

        await storage.ClearAsync(Grain, "session", etag, default);

        Assert.Equal(0, storage.Count);
    }
}
