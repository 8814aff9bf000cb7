using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Switchboard.Postgres.Tests;

public sealed class PostgresSchemaTests
{
    /// <summary>Every query key the 10.4.2 clustering and storage providers look up (read from their assemblies).</summary>
    private static readonly string[] s_providerQueryKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
    ];

    [Fact]
    public async Task ApplyAsync_ClosedPort_ThrowsNamingServerDatabaseAndStep()
    {
        var connectionString = TestDatabase.ClosedPortConnectionString();
        var port = new NpgsqlConnectionStringBuilder(connectionString).Port;
        await using var dataSource = PostgresDataSource.Create(connectionString);
        var logger = new ListLogger<PostgresSchema>();

        var failure = await Assert.ThrowsAsync<PostgresSchemaException>(
            () => new PostgresSchema(logger).ApplyAsync(dataSource, CancellationToken.None));

        Assert.Contains($"127.0.0.1:{port}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'switchboard'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("opening a connection failed", failure.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<NpgsqlException>(failure.InnerException);
        Assert.Contains(logger.Entries, entry => entry.EventId.Name == "SchemaFailed");
    }

    [Fact]
    public async Task ApplyAsync_ForeignTablesInTheWay_ThrowsAndRollsBackEverything()
    {
        var connectionString = await TestDatabase.CreateAsync("schema_foreign");
        // As left by someone who ran Orleans' published scripts by hand: V1 must not silently adopt these.
        await TestDatabase.ExecuteAsync(connectionString, "CREATE TABLE OrleansQuery (QueryKey varchar(64) PRIMARY KEY, QueryText varchar(8000))");
        await using var dataSource = PostgresDataSource.Create(connectionString);

        var failure = await Assert.ThrowsAsync<PostgresSchemaException>(
            () => new PostgresSchema(NullLogger<PostgresSchema>.Instance).ApplyAsync(dataSource, CancellationToken.None));

        Assert.Contains("applying V1__orleans_clustering_and_storage.sql failed", failure.Message, StringComparison.Ordinal);
        Assert.Contains("orleansquery", failure.Message, StringComparison.OrdinalIgnoreCase);
        // The failed transaction left neither the bookkeeping table nor any of V1's tables.
        Assert.Null(await TestDatabase.ScalarAsync<string>(connectionString, "SELECT to_regclass('switchboard_schema')::text"));
        Assert.Null(await TestDatabase.ScalarAsync<string>(connectionString, "SELECT to_regclass('orleansmembershiptable')::text"));
    }

    [Fact]
    public async Task ApplyAsync_DatabaseAtNewerVersion_ThrowsWithoutTouchingIt()
    {
        var connectionString = await TestDatabase.CreateAsync("schema_newer");
        await TestDatabase.ExecuteAsync(connectionString,
            "CREATE TABLE switchboard_schema (version integer PRIMARY KEY, script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());"
            + $"INSERT INTO switchboard_schema (version, script) VALUES ({PostgresSchema.LatestVersion + 1}, 'V_future.sql')");
        await using var dataSource = PostgresDataSource.Create(connectionString);

        var failure = await Assert.ThrowsAsync<PostgresSchemaException>(
            () => new PostgresSchema(NullLogger<PostgresSchema>.Instance).ApplyAsync(dataSource, CancellationToken.None));

        Assert.Contains($"schema version {PostgresSchema.LatestVersion + 1}", failure.Message, StringComparison.Ordinal);
        Assert.Null(await TestDatabase.ScalarAsync<string>(connectionString, "SELECT to_regclass('orleansquery')::text"));
    }

    [Fact]
    public async Task ApplyAsync_FreshDatabase_CreatesTablesQueriesAndRecordsVersion()
    {
        var connectionString = await TestDatabase.CreateAsync("schema_fresh");
        await using var dataSource = PostgresDataSource.Create(connectionString);
        var logger = new ListLogger<PostgresSchema>();

        var result = await new PostgresSchema(logger).ApplyAsync(dataSource, CancellationToken.None);

        Assert.Equal(new SchemaApplyResult(0, PostgresSchema.LatestVersion), result);
        Assert.True(result.Applied);
        foreach (var table in new[] { "orleansquery", "orleansmembershipversiontable", "orleansmembershiptable", "orleansstorage" })
        {
            // Unqualified, in the default schema: where the providers' unqualified SQL looks.
            Assert.Equal($"public.{table}", await TestDatabase.ScalarAsync<string>(connectionString,
                "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = @name",
                ("name", table)));
        }

        var keys = (await TestDatabase.RowsAsync(connectionString, "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey"))
            .Select(row => (string)row[0]!).ToArray();
        Assert.Equal(s_providerQueryKeys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        var recorded = await TestDatabase.RowsAsync(connectionString, "SELECT version, script, applied_at FROM switchboard_schema");
        var row = Assert.Single(recorded);
        Assert.Equal(1, row[0]);
        Assert.Equal("V1__orleans_clustering_and_storage.sql", row[1]);
        Assert.IsType<DateTime>(row[2]);
        Assert.Contains(logger.Entries, entry => entry.EventId.Name == "SchemaApplied" && entry.Message.Contains("applied version 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyAsync_Twice_SecondIsNoOp()
    {
        var connectionString = await TestDatabase.CreateAsync("schema_twice");
        await using var dataSource = PostgresDataSource.Create(connectionString);
        var logger = new ListLogger<PostgresSchema>();
        var schema = new PostgresSchema(logger);
        await schema.ApplyAsync(dataSource, CancellationToken.None);
        var appliedAt = await TestDatabase.ScalarAsync<DateTime>(connectionString, "SELECT applied_at FROM switchboard_schema");

        var second = await schema.ApplyAsync(dataSource, CancellationToken.None);

        Assert.Equal(new SchemaApplyResult(PostgresSchema.LatestVersion, PostgresSchema.LatestVersion), second);
        Assert.False(second.Applied);
        Assert.Equal(appliedAt, await TestDatabase.ScalarAsync<DateTime>(connectionString, "SELECT applied_at FROM switchboard_schema"));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM switchboard_schema"));
        Assert.Contains(logger.Entries, entry => entry.EventId.Name == "SchemaCurrent"
            && entry.Message.Contains($"already at version {PostgresSchema.LatestVersion}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyAsync_FourProcessesAtOnce_AllSucceedAndOneApplies()
    {
        var connectionString = await TestDatabase.CreateAsync("schema_race");
        // One data source each, as four processes starting together would have.
        var dataSources = Enumerable.Range(0, 4).Select(_ => PostgresDataSource.Create(connectionString)).ToArray();
        try
        {
            using var start = new ManualResetEventSlim();
            var calls = dataSources.Select(dataSource => Task.Run(async () =>
            {
                start.Wait();
                return await new PostgresSchema(NullLogger<PostgresSchema>.Instance).ApplyAsync(dataSource, CancellationToken.None);
            })).ToArray();
            start.Set();

            var results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Single(results, result => result.Applied);
            Assert.All(results, result => Assert.Equal(PostgresSchema.LatestVersion, result.CurrentVersion));
            Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM switchboard_schema WHERE version = 1"));
            Assert.Equal((long)s_providerQueryKeys.Length, await TestDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM OrleansQuery"));
        }
        finally
        {
            foreach (var dataSource in dataSources)
            {
                await dataSource.DisposeAsync();
            }
        }
    }
}
