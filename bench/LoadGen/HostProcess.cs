using System.Diagnostics;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// One operating-system process of a server under test (<c>dotnet X.dll</c>, so the pid is the host itself). Output
/// is drained (the last lines are kept for failure reports) so a chatty host can never block on a full pipe. Dispose
/// kills the process (its tree) and waits, bounded. A host still running is also killed when this program exits or
/// receives SIGTERM (<see cref="ExitCleanup"/>), so an interrupted run leaves no orphans.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private const int TailLines = 30;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Action _cleanup;

    // Dispose may run on the SIGTERM thread while the run still reads the process: everything that touches _process
    // takes this lock, and a disposed host reads as exited.
    private readonly Lock _gate = new();
    private bool _disposed;
    private int? _exitCode;

    private HostProcess(string role, Process process)
    {
        Role = role;
        _process = process;
        Pid = process.Id;
        _cleanup = Dispose;
    }

    /// <summary>What this process is within its server: <c>server</c>, <c>gateway</c> or <c>silo</c>.</summary>
    public string Role { get; }

    /// <summary>The process id.</summary>
    public int Pid { get; }

    /// <summary>Whether the process has exited (or was killed by dispose).</summary>
    public bool HasExited
    {
        get
        {
            lock (_gate)
            {
                return _disposed || _process.HasExited;
            }
        }
    }

    /// <summary>The exit code once exited, else null.</summary>
    public int? ExitCode
    {
        get
        {
            lock (_gate)
            {
                return _disposed ? _exitCode : _process.HasExited ? _process.ExitCode : null;
            }
        }
    }

    /// <summary>The last lines the process printed, headed by its role and pid.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return $"--- {Role} (pid {Pid}) ---{Environment.NewLine}{string.Join(Environment.NewLine, _tail)}";
            }
        }
    }

    /// <summary>Starts <c>dotnet</c> with <paramref name="arguments"/> and <paramref name="environment"/> added to this process's environment.</summary>
    public static HostProcess Start(string role, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start the {role} process");
        var host = new HostProcess(role, process);
        ExitCleanup.Register(host._cleanup);
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The process's CPU and memory now (null once it exited).</summary>
    public ProcessStats? Stats() => HasExited ? null : ProcessStats.Read(Pid);

    /// <inheritdoc />
    public void Dispose()
    {
        ExitCleanup.Unregister(_cleanup);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(TimeSpan.FromSeconds(10));
                }

                _exitCode = _process.HasExited ? _process.ExitCode : null;
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            _disposed = true;
            _process.Dispose();
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }
}
