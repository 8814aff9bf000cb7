using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Switchboard.Runtime.Storage;

namespace Switchboard.Runtime.Tests.Storage;

/// <summary>The contract on a real PostgreSQL, plus schema initialization. Each test runs in its own cluster id.</summary>
public sealed class PostgresGrainStorageTests(PostgresDatabaseFixture database) : GrainStorageContractTests, IClassFixture<PostgresDatabaseFixture>
{
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}";

    protected override async Task<IGrainStorage> CreateStorageAsync()
    {
        var storage = new PostgresGrainStorage(database.ConnectionString, _clusterId, NullLogger<PostgresGrainStorage>.Instance);
        await storage.InitializeAsync(default);
        return storage;
    }

    [Fact]
    public async Task Operations_BeforeSchemaExists_FailWithPostgresError()
    {
        var server = await TestInfrastructure.PostgresServer.SharedAsync();
        var empty = await server.CreateDatabaseAsync("grainstore_empty");
        await using var storage = new PostgresGrainStorage(empty, _clusterId, NullLogger<PostgresGrainStorage>.Instance);

        var ex = await Assert.ThrowsAsync<PostgresException>(() => storage.ReadAsync(Grain, "session", default));

        Assert.Equal(PostgresErrorCodes.UndefinedTable, ex.SqlState);
    }

    [Fact]
    public void Constructor_ClusterIdTooLong_Throws()
        => Assert.Throws<ArgumentException>(() => new PostgresGrainStorage(database.ConnectionString, new string('c', 151), NullLogger<PostgresGrainStorage>.Instance));

    [Fact]
    public async Task InitializeAsync_Twice_IsIdempotentAndKeepsData()
    {
        var etag = await Storage.WriteAsync(Grain, "session", new byte[] { 7 }, null, default);

        await ((PostgresGrainStorage)Storage).InitializeAsync(default);

        var record = await Storage.ReadAsync(Grain, "session", default);
        Assert.Equal((etag, (byte)7), (record!.ETag, record.Data.Span[0]));
    }

    [Fact]
    public async Task InitializeAsync_ConcurrentlyOnFreshDatabase_AllSucceed()
    {
        var server = await TestInfrastructure.PostgresServer.SharedAsync();
        var fresh = await server.CreateDatabaseAsync("grainstore_init");
        var storages = Enumerable.Range(0, 8)
            .Select(_ => new PostgresGrainStorage(fresh, _clusterId, NullLogger<PostgresGrainStorage>.Instance))
            .ToArray();
        try
        {
            await Task.WhenAll(storages.Select(s => Task.Run(() => s.InitializeAsync(default))));

            var etag = await storages[3].WriteAsync(Grain, "session", new byte[] { 1 }, null, default);
            Assert.Equal(etag, (await storages[5].ReadAsync(Grain, "session", default))!.ETag);
        }
        finally
        {
            foreach (var storage in storages)
            {
                await storage.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Write_OtherClusterId_IsIsolated()
    {
        await using var other = new PostgresGrainStorage(database.ConnectionString, _clusterId + "-other", NullLogger<PostgresGrainStorage>.Instance);
        await Storage.WriteAsync(Grain, "session", new byte[] { 1 }, null, default);

        Assert.Null(await other.ReadAsync(Grain, "session", default));
        await other.WriteAsync(Grain, "session", new byte[] { 2 }, null, default);
        Assert.Equal(new byte[] { 1 }, (await Storage.ReadAsync(Grain, "session", default))!.Data.ToArray());
    }
}
