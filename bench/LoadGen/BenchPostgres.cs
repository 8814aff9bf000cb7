using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// The one PostgreSQL server a run of cluster-mode trials shares, started and destroyed with
/// <c>tools/ci/postgres.sh</c> (Debian's PostgreSQL as the <c>postgres</c> user, in a temporary folder, on a free
/// loopback port). Trials isolate themselves with a fresh cluster id, not a fresh database: every table is scoped by
/// cluster id, and one server for the whole run keeps its start-up out of the trials.
/// The server is destroyed on dispose, and by <see cref="ExitCleanup"/> on exit or SIGTERM if dispose did not run, so
/// an interrupted run leaves no PostgreSQL behind.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private static readonly TimeSpan s_scriptTimeout = TimeSpan.FromMinutes(5);
    private readonly string _script;
    private readonly string _folder;
    // Destroy may run on the SIGTERM thread and from the run's own dispose at once: the second caller waits for the
    // first to finish, so the program never exits with the server half stopped.
    private readonly Lock _gate = new();
    private bool _destroyed;

    private BenchPostgres(string script, string folder, string connectionString)
    {
        _script = script;
        _folder = folder;
        ConnectionString = connectionString;
        ExitCleanup.Register(Destroy);
    }

    /// <summary>Npgsql connection string of the server's <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    /// <summary>Installs PostgreSQL if it is missing, then starts a server in a new temporary folder.</summary>
    /// <exception cref="InvalidOperationException">The script failed (the message has its output).</exception>
    public static async Task<BenchPostgres> StartAsync(BenchPaths paths, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(log);
        var folder = Path.Combine(Path.GetTempPath(), $"switchboard-bench-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);

        // The server runs as the postgres user, which must be able to enter the folder (0755). Linux only, like /proc.
#pragma warning disable CA1416
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
#pragma warning restore CA1416
        string connectionString;
        try
        {
            await RunAsync(paths.PostgresScript, ["install"], cancellationToken).ConfigureAwait(false);
            connectionString = (await RunAsync(paths.PostgresScript, ["start", folder], cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch
        {
            RunDestroy(paths.PostgresScript, folder);
            throw;
        }

        await log.WriteLineAsync($"postgres: started in {folder} ({connectionString})").ConfigureAwait(false);
        return new BenchPostgres(paths.PostgresScript, folder, connectionString);
    }

    /// <summary>
    /// CPU seconds the server has used so far: the postmaster and its live backends (utime + stime) plus what its
    /// exited backends used (the postmaster's cutime + cstime, counted when it reaps them). Null if it cannot be read.
    /// </summary>
    public double? CpuSeconds()
    {
        try
        {
            int postmaster = int.Parse(File.ReadLines(Path.Combine(_folder, "data", "postmaster.pid")).First(), CultureInfo.InvariantCulture);
            if (ReadStat(postmaster) is not { } root)
            {
                return null;
            }

            long ticks = root.Own + root.Reaped;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                    && pid != postmaster && ReadStat(pid) is { } child && child.ParentPid == postmaster)
                {
                    ticks += child.Own + child.Reaped;
                }
            }

            return ticks / ProcessStats.ClockTicksPerSecond;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // Synchronous on purpose: the same call serves the exit hook, where nothing can be awaited.
        Destroy();
        return ValueTask.CompletedTask;
    }

    private void Destroy()
    {
        ExitCleanup.Unregister(Destroy);
        lock (_gate)
        {
            if (!_destroyed)
            {
                _destroyed = true;
                RunDestroy(_script, _folder);
            }
        }
    }

    private static void RunDestroy(string script, string folder)
    {
        try
        {
            RunAsync(script, ["destroy", folder], CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException exception)
        {
            // Leave the run's own outcome intact; say what is left behind.
            Console.Error.WriteLine($"postgres: destroying {folder} failed: {exception.Message}");
        }
    }

    private static (int ParentPid, long Own, long Reaped)? ReadStat(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");

            // After the comm field's closing parenthesis: state ppid ... utime(11) stime(12) cutime(13) cstime(14).
            string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var inv = CultureInfo.InvariantCulture;
            return (int.Parse(f[1], inv), long.Parse(f[11], inv) + long.Parse(f[12], inv), long.Parse(f[13], inv) + long.Parse(f[14], inv));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // A backend that exited between listing and reading: its time is in the postmaster's cutime now.
            return null;
        }
    }

    private static async Task<string> RunAsync(string script, string[] arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start bash for tools/ci/postgres.sh");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(s_scriptTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Never leave the script running (it may be mid-initdb); the caller's destroy cleans up the folder.
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new InvalidOperationException($"tools/ci/postgres.sh {string.Join(' ', arguments)} did not finish within {s_scriptTimeout.TotalMinutes} min");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"tools/ci/postgres.sh {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {(await error.ConfigureAwait(false)).Trim()}");
        }

        return await output.ConfigureAwait(false);
    }
}
