using Switchboard.Runtime.Storage;

namespace Switchboard.Runtime.Tests.Storage;

/// <summary>The <see cref="IGrainStorage"/> contract, run against every provider.</summary>
public abstract class GrainStorageContractTests : IAsyncLifetime
{
    private IGrainStorage? _storage;

    protected static readonly GrainId Grain = new("connection", "MZ0001");

    protected IGrainStorage Storage => _storage ?? throw new InvalidOperationException("Storage not created.");

    protected abstract Task<IGrainStorage> CreateStorageAsync();

    public async Task InitializeAsync() => _storage = await CreateStorageAsync();

    public virtual async Task DisposeAsync()
    {
        if (_storage is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    // ---- failure cases ----

    [Fact]
    public async Task Write_StaleETag_ThrowsInconsistentStateAndKeepsNewerData()
    {
        var first = await Storage.WriteAsync(Grain, "session", new byte[] { 1 }, null, default);
        await Storage.WriteAsync(Grain, "session", new byte[] { 2 }, first, default);

        var ex = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(Grain, "session", new byte[] { 3 }, first, default));

        Assert.Contains("session", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Grain.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 2 }, (await Storage.ReadAsync(Grain, "session", default))!.Data.ToArray());
    }

    [Fact]
    public async Task Write_ExpectingNoRecordWhenOneExists_ThrowsInconsistentState()
    {
        await Storage.WriteAsync(Grain, "session", new byte[] { 1 }, null, default);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(Grain, "session", new byte[] { 9 }, null, default));
        Assert.Equal(new byte[] { 1 }, (await Storage.ReadAsync(Grain, "session", default))!.Data.ToArray());
    }

    [Fact]
    public async Task Write_ETagAfterRecordWasCleared_ThrowsInconsistentState()
    {
        var etag = await Storage.WriteAsync(Grain, "session", new byte[] { 1 }, null, default);
        await Storage.ClearAsync(Grain, "session", etag, default);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(Grain, "session", new byte[] { 2 }, etag, default));
        Assert.Null(await Storage.ReadAsync(Grain, "session", default));
    }

    [Fact]
    public async Task Clear_StaleETag_ThrowsInconsistentStateAndKeepsRecord()
    {
        var first = await Storage.WriteAsync(Grain, "session", new byte[] { 1 }, null, default);
        var second = await Storage.WriteAsync(Grain, "session", new byte[] { 2 }, first, default);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(Grain, "session", first, default));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(Grain, "session", null, default));
        Assert.Equal(second, (await Storage.ReadAsync(Grain, "session", default))!.ETag);
    }

    [Fact]
    public async Task Write_ConcurrentWritersWithSameETag_ExactlyOneWins()
    {
        var etag = await Storage.WriteAsync(Grain, "session", new byte[] { 0 }, null, default);

        var attempts = Enumerable.Range(1, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                return await Storage.WriteAsync(Grain, "session", new[] { (byte)i }, etag, default);
            }
            catch (InconsistentStateException)
            {
                return null;
            }
        })).ToArray();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(winner, (await Storage.ReadAsync(Grain, "session", default))!.ETag);
    }

    [Fact]
    public async Task Write_KeyLongerThanColumn_ThrowsArgumentException()
    {
        var longKey = new GrainId("connection", new string('k', 513));

        await Assert.ThrowsAsync<ArgumentException>(() => Storage.WriteAsync(longKey, "session", new byte[] { 1 }, null, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Storage.ReadAsync(Grain, new string('s', 151), default));
    }

    // ---- normal operation ----

    [Fact]
    public async Task Read_Missing_ReturnsNull()
        => Assert.Null(await Storage.ReadAsync(new GrainId("connection", "never-written"), "session", default));

    [Fact]
    public async Task Write_ThenRead_ReturnsDataAndAFreshETagPerWrite()
    {
        var first = await Storage.WriteAsync(Grain, "session", new byte[] { 1, 2, 3 }, null, default);
        var second = await Storage.WriteAsync(Grain, "session", new byte[] { 4, 5 }, first, default);

        var record = await Storage.ReadAsync(Grain, "session", default);

        Assert.NotNull(record);
        Assert.Equal(new byte[] { 4, 5 }, record.Data.ToArray());
        Assert.Equal(second, record.ETag);
        Assert.NotEqual(first, second);
        Assert.InRange(second.Length, 1, 64);
    }

    [Fact]
    public async Task Write_CallerReusesBuffer_StoredDataUnchanged()
    {
        var buffer = new byte[] { 1, 2, 3 };
        await Storage.WriteAsync(Grain, "session", buffer, null, default);
        buffer[0] = 99;

        Assert.Equal(new byte[] { 1, 2, 3 }, (await Storage.ReadAsync(Grain, "session", default))!.Data.ToArray());
    }

    [Fact]
    public async Task Clear_MatchingETag_RemovesRecordAndAllowsCreateAgain()
    {
        var etag = await Storage.WriteAsync(Grain, "session", new byte[] { 1 }, null, default);

        await Storage.ClearAsync(Grain, "session", etag, default);

        Assert.Null(await Storage.ReadAsync(Grain, "session", default));
        var recreated = await Storage.WriteAsync(Grain, "session", new byte[] { 2 }, null, default);
        Assert.NotEqual(etag, recreated);
    }

    [Fact]
    public async Task Clear_Absent_IsNoOp()
    {
        await Storage.ClearAsync(Grain, "session", null, default);
        await Storage.ClearAsync(Grain, "session", "some-etag", default);

        Assert.Null(await Storage.ReadAsync(Grain, "session", default));
    }

    [Fact]
    public async Task Write_StateNamesAndGrains_AreIndependent()
    {
        var other = new GrainId("connection", "MZ0002");
        var otherType = new GrainId("health", "MZ0001");
        await Storage.WriteAsync(Grain, "session", new byte[] { 1 }, null, default);
        await Storage.WriteAsync(Grain, "other", new byte[] { 2 }, null, default);
        await Storage.WriteAsync(other, "session", new byte[] { 3 }, null, default);
        await Storage.WriteAsync(otherType, "session", new byte[] { 4 }, null, default);

        Assert.Equal(new byte[] { 1 }, (await Storage.ReadAsync(Grain, "session", default))!.Data.ToArray());
        Assert.Equal(new byte[] { 2 }, (await Storage.ReadAsync(Grain, "other", default))!.Data.ToArray());
        Assert.Equal(new byte[] { 3 }, (await Storage.ReadAsync(other, "session", default))!.Data.ToArray());
        Assert.Equal(new byte[] { 4 }, (await Storage.ReadAsync(otherType, "session", default))!.Data.ToArray());
    }

    [Fact]
    public async Task Write_EmptyAndLargeData_RoundTrip()
    {
        var large = Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray();
        var etag = await Storage.WriteAsync(Grain, "session", ReadOnlyMemory<byte>.Empty, null, default);
        Assert.Empty((await Storage.ReadAsync(Grain, "session", default))!.Data.ToArray());

        await Storage.WriteAsync(Grain, "session", large.AsMemory(1000, 150_000), etag, default);

        Assert.Equal(large.AsSpan(1000, 150_000).ToArray(), (await Storage.ReadAsync(Grain, "session", default))!.Data.ToArray());
    }
}
