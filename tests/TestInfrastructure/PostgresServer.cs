using System.Diagnostics;
using Npgsql;

namespace Switchboard.TestInfrastructure;

/// <summary>
/// A real PostgreSQL server for tests, started with <c>tools/ci/postgres.sh</c> (Debian's PostgreSQL, run as the
/// <c>postgres</c> user in a temporary folder on a free loopback port). <see cref="SharedAsync"/> starts one per test
/// process on first use and destroys it at process exit; <see cref="StartDedicatedAsync"/> gives a test its own server
/// that it may stop and start (outage tests). Each test class isolates itself with <see cref="CreateDatabaseAsync"/>.
/// Nothing is mocked: if PostgreSQL cannot be installed or started, the test fails with the script's output.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim s_sharedLock = new(1, 1);
    private static PostgresServer? s_shared;
    private static int s_databases;

    private readonly string _folder;

    private PostgresServer(string folder, string connectionString)
    {
        _folder = folder;
        ConnectionString = connectionString;
    }

    /// <summary>Connection string to the server's <c>postgres</c> database.</summary>
    public string ConnectionString { get; private set; }

    /// <summary>The TCP port the server listens on (127.0.0.1).</summary>
    public int Port => new NpgsqlConnectionStringBuilder(ConnectionString).Port;

    /// <summary>The server shared by every test in this process.</summary>
    public static async Task<PostgresServer> SharedAsync()
    {
        await s_sharedLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (s_shared is null)
            {
                s_shared = await StartDedicatedAsync().ConfigureAwait(false);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => s_shared.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return s_shared;
        }
        finally
        {
            s_sharedLock.Release();
        }
    }

    /// <summary>A server of the caller's own (dispose it).</summary>
    public static async Task<PostgresServer> StartDedicatedAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"switchboard-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        // The postgres user must be able to reach the folder (0755); the servers only run on Linux.
#pragma warning disable CA1416 // Debian's PostgreSQL: these tests run on Linux only.
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
#pragma warning restore CA1416
        await RunScriptAsync("install").ConfigureAwait(false);
        var connectionString = await RunScriptAsync("start", folder).ConfigureAwait(false);
        return new PostgresServer(folder, connectionString.Trim());
    }

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref s_databases)}".ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Stops the server (fast shutdown); <see cref="StartAsync"/> brings it back on the same port.</summary>
    public async Task StopAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunScriptAsync("stop", _folder).ConfigureAwait(false);
    }

    /// <summary>Starts a stopped server again with its data.</summary>
    public async Task StartAsync() => ConnectionString = (await RunScriptAsync("start", _folder).ConfigureAwait(false)).Trim();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunScriptAsync("destroy", _folder).ConfigureAwait(false);
    }

    private static async Task<string> RunScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "tools", "ci", "postgres.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash for tools/ci/postgres.sh.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"tools/ci/postgres.sh {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {await error.ConfigureAwait(false)}");
        }

        return await output.ConfigureAwait(false);
    }

    /// <summary>The repository root: the nearest parent folder holding Orleans.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Orleans.sln not found above {AppContext.BaseDirectory}.");
    }
}
