using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Switchboard.Runtime.GrainDirectory;
using Switchboard.Runtime.Tests.Storage;

namespace Switchboard.Runtime.Tests.GrainDirectory;

/// <summary>The contract on a real PostgreSQL. Each test runs in its own cluster id.</summary>
public sealed class PostgresGrainDirectoryTests(PostgresDatabaseFixture database) : GrainDirectoryContractTests, IClassFixture<PostgresDatabaseFixture>
{
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}";

    protected override async Task<IGrainDirectory> CreateDirectoryAsync()
    {
        var directory = new PostgresGrainDirectory(database.ConnectionString, _clusterId, NullLogger<PostgresGrainDirectory>.Instance);
        await directory.InitializeAsync(default);
        return directory;
    }

    [Fact]
    public async Task Lookup_CorruptSiloText_ThrowsFormatException()
    {
        await Directory.RegisterAsync(new GrainAddress(Grain, SiloA, "a1"), null, default);
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("UPDATE switchboard_grain_directory SET silo = 'not-a-silo' WHERE cluster_id = @c", connection);
            command.Parameters.AddWithValue("c", _clusterId);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var ex = await Assert.ThrowsAsync<FormatException>(() => Directory.LookupAsync(Grain, default));

        Assert.Contains("not-a-silo", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entries_OtherClusterId_AreIsolated()
    {
        await using var other = new PostgresGrainDirectory(database.ConnectionString, _clusterId + "-other", NullLogger<PostgresGrainDirectory>.Instance);
        var mine = new GrainAddress(Grain, SiloA, "a1");
        await Directory.RegisterAsync(mine, null, default);
        var theirs = new GrainAddress(Grain, SiloB, "b1");

        Assert.Equal(theirs, await other.RegisterAsync(theirs, null, default));
        Assert.Equal(0, await other.UnregisterSiloAsync(SiloA, default));
        Assert.Equal(mine, await Directory.LookupAsync(Grain, default));
    }

    [Fact]
    public async Task InitializeAsync_Again_KeepsEntries()
    {
        var mine = new GrainAddress(Grain, SiloA, "a1");
        await Directory.RegisterAsync(mine, null, default);

        await ((PostgresGrainDirectory)Directory).InitializeAsync(default);

        Assert.Equal(mine, await Directory.LookupAsync(Grain, default));
    }
}
