using System.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Switchboard.Postgres.Tests;

/// <summary>
/// The stored query texts run directly, with parameters bound the way the 10.4.2 providers bind them (names and
/// DbTypes read from their assemblies), for the races a two-silo test cannot provoke on demand.
/// </summary>
public sealed class PostgresQueryTests
{
    [Fact]
    public async Task InsertMembership_StaleVersion_ChangesNothing()
    {
        var connectionString = await PrepareAsync("query_membership");
        await RunAsync(connectionString, "InsertMembershipVersionKey", ("DeploymentId", DbType.String, "c1"));

        var stale = await RunAsync(connectionString, "InsertMembershipKey", Silo("c1", port: 11111, version: 7));

        Assert.Equal(0L, stale);
        Assert.Equal(0, await TestDatabase.ScalarAsync<int>(connectionString, "SELECT Version FROM OrleansMembershipVersionTable"));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM OrleansMembershipTable"));
    }

    [Fact]
    public async Task InsertMembership_RowAlreadyThere_LeavesVersionUnbumped()
    {
        var connectionString = await PrepareAsync("query_duplicate");
        await RunAsync(connectionString, "InsertMembershipVersionKey", ("DeploymentId", DbType.String, "c1"));
        Assert.Equal(1L, await RunAsync(connectionString, "InsertMembershipKey", Silo("c1", port: 11111, version: 0)));

        var duplicate = await RunAsync(connectionString, "InsertMembershipKey", Silo("c1", port: 11111, version: 1));

        Assert.Equal(0L, duplicate);
        Assert.Equal(1, await TestDatabase.ScalarAsync<int>(connectionString, "SELECT Version FROM OrleansMembershipVersionTable"));
    }

    [Fact]
    public async Task InsertMembershipVersion_Twice_SecondReportsNotCreated()
    {
        var connectionString = await PrepareAsync("query_version");

        Assert.Equal(1L, await RunAsync(connectionString, "InsertMembershipVersionKey", ("DeploymentId", DbType.String, "c1")));
        Assert.Equal(0L, await RunAsync(connectionString, "InsertMembershipVersionKey", ("DeploymentId", DbType.String, "c1")));
    }

    [Fact]
    public async Task UpdateMembership_StaleVersion_ChangesNeitherRowNorVersion()
    {
        var connectionString = await PrepareAsync("query_update");
        await RunAsync(connectionString, "InsertMembershipVersionKey", ("DeploymentId", DbType.String, "c1"));
        await RunAsync(connectionString, "InsertMembershipKey", Silo("c1", port: 11111, version: 0));

        var stale = await RunAsync(connectionString, "UpdateMembershipKey", StatusChange("c1", port: 11111, status: 6, version: 0));
        var current = await RunAsync(connectionString, "UpdateMembershipKey", StatusChange("c1", port: 11111, status: 4, version: 1));

        Assert.Equal(0L, stale);
        Assert.Equal(1L, current);
        Assert.Equal(4, await TestDatabase.ScalarAsync<int>(connectionString, "SELECT Status FROM OrleansMembershipTable"));
        Assert.Equal(2, await TestDatabase.ScalarAsync<int>(connectionString, "SELECT Version FROM OrleansMembershipVersionTable"));
    }

    [Fact]
    public async Task CleanupDefunctSiloEntries_CutOff_RemovesOnlyOldDeadRows()
    {
        // The by-cut-off query is what providers without the per-row query run; 10.4.2 uses the per-row one.
        var connectionString = await PrepareAsync("query_cleanup");
        await RunAsync(connectionString, "InsertMembershipVersionKey", ("DeploymentId", DbType.String, "c1"));
        await RunAsync(connectionString, "InsertMembershipKey", Silo("c1", port: 11111, version: 0));
        await RunAsync(connectionString, "InsertMembershipKey", Silo("c1", port: 22222, version: 1));
        await RunAsync(connectionString, "UpdateMembershipKey", StatusChange("c1", port: 22222, status: 6, version: 2));

        await RunAsync(connectionString, "CleanupDefunctSiloEntriesKey",
            ("DeploymentId", DbType.String, "c1"), ("IAmAliveTime", DbType.DateTime, DateTime.UtcNow.AddMinutes(1)));

        var remaining = await TestDatabase.RowsAsync(connectionString, "SELECT Port, Status FROM OrleansMembershipTable");
        var survivor = Assert.Single(remaining);
        Assert.Equal(11111, survivor[0]);
        Assert.Equal(3, survivor[1]);
    }

    [Fact]
    public async Task WriteToStorage_TwoFirstWritesOfOneGrain_OnlyOneWins()
    {
        var connectionString = await PrepareAsync("query_storage");

        // A Guid-keyed grain without extension: GrainIdExtensionString is NULL, which the unique index must still match.
        var first = await RunAsync(connectionString, "WriteToStorageKey", Grain(version: null, payload: "{\"a\":1}"u8.ToArray()));
        var second = await RunAsync(connectionString, "WriteToStorageKey", Grain(version: null, payload: "{\"a\":2}"u8.ToArray()));

        Assert.Equal(1, first);
        Assert.Null(second);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM OrleansStorage"));
    }

    [Fact]
    public async Task WriteToStorage_StaleVersion_AnswersNullAndKeepsRow()
    {
        var connectionString = await PrepareAsync("query_stale");
        await RunAsync(connectionString, "WriteToStorageKey", Grain(version: null, payload: "{\"a\":1}"u8.ToArray()));
        Assert.Equal(2, await RunAsync(connectionString, "WriteToStorageKey", Grain(version: 1, payload: "{\"a\":2}"u8.ToArray())));

        var stale = await RunAsync(connectionString, "WriteToStorageKey", Grain(version: 1, payload: "{\"a\":3}"u8.ToArray()));

        Assert.Null(stale);
        Assert.Equal("{\"a\":2}"u8.ToArray(), await TestDatabase.ScalarAsync<byte[]>(connectionString, "SELECT PayloadBinary FROM OrleansStorage"));
    }

    [Fact]
    public async Task DeleteStorage_CurrentVersion_RemovesRowAndAnswersANewVersion()
    {
        var connectionString = await PrepareAsync("query_delete");
        await RunAsync(connectionString, "WriteToStorageKey", Grain(version: null, payload: "{}"u8.ToArray()));

        var stale = await RunAsync(connectionString, "DeleteStorageKey", Grain(version: 5, payload: null));
        var deleted = await RunAsync(connectionString, "DeleteStorageKey", Grain(version: 1, payload: null));

        Assert.Null(stale);
        Assert.Equal(2, deleted);
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM OrleansStorage"));
    }

    private static async Task<string> PrepareAsync(string prefix)
    {
        var connectionString = await TestDatabase.CreateAsync(prefix);
        await using var dataSource = PostgresDataSource.Create(connectionString);
        await new PostgresSchema(NullLogger<PostgresSchema>.Instance).ApplyAsync(dataSource, CancellationToken.None);
        return connectionString;
    }

    private static (string, DbType, object?)[] Silo(string cluster, int port, int version) =>
    [
        ("DeploymentId", DbType.String, cluster), ("IAmAliveTime", DbType.DateTime, DateTime.UtcNow),
        ("SiloName", DbType.String, "silo"), ("HostName", DbType.String, "host"),
        ("Address", DbType.AnsiString, "127.0.0.1"), ("Port", DbType.Int32, port), ("Generation", DbType.Int32, 1),
        ("StartTime", DbType.DateTime, DateTime.UtcNow), ("Status", DbType.Int32, 3), ("ProxyPort", DbType.Int32, 30000),
        ("Version", DbType.Int32, version),
    ];

    private static (string, DbType, object?)[] StatusChange(string cluster, int port, int status, int version) =>
    [
        ("DeploymentId", DbType.String, cluster), ("Address", DbType.AnsiString, "127.0.0.1"), ("Port", DbType.Int32, port),
        ("Generation", DbType.Int32, 1), ("IAmAliveTime", DbType.DateTime, DateTime.UtcNow), ("Status", DbType.Int32, status),
        ("SuspectTimes", DbType.String, null), ("Version", DbType.Int32, version),
    ];

    private static (string, DbType, object?)[] Grain(int? version, byte[]? payload) =>
    [
        ("GrainIdHash", DbType.Int32, 42), ("GrainIdN0", DbType.Int64, 1L), ("GrainIdN1", DbType.Int64, 2L),
        ("GrainTypeHash", DbType.Int32, 7), ("GrainTypeString", DbType.String, "counter"),
        ("GrainIdExtensionString", DbType.String, null), ("ServiceId", DbType.String, "service"),
        ("GrainStateVersion", DbType.Int32, version), ("PayloadBinary", DbType.Binary, payload),
    ];

    /// <summary>Runs a stored query like the providers do and returns the first column of the first row.</summary>
    private static async Task<object?> RunAsync(string connectionString, string key, params (string Name, DbType Type, object? Value)[] parameters)
    {
        var sql = await TestDatabase.ScalarAsync<string>(connectionString, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key", ("key", key))
            ?? throw new InvalidOperationException($"Query {key} is missing.");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, type, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        }

        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() && !reader.IsDBNull(0) ? reader.GetValue(0) : null;
    }
}
