using Switchboard.TestInfrastructure;

namespace Switchboard.Runtime.Tests.Storage;

/// <summary>One fresh database on the process's shared PostgreSQL per test class; tests isolate further by cluster id.</summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private string? _connectionString;

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The database is not created yet.");

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        _connectionString = await server.CreateDatabaseAsync("grainstore");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
