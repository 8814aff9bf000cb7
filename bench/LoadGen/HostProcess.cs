using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// One operating-system process of a server under test (<c>dotnet X.dll</c>, so the pid is the host itself). Output
/// is drained (the last lines are kept for failure reports) so a chatty host can never block on a full pipe. Dispose
/// kills the process (its tree) and waits, bounded. Every host still running is also killed when this program exits
/// or receives SIGTERM, so an interrupted run leaves no orphans.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private const int TailLines = 30;

    private static readonly HashSet<HostProcess> s_live = [];
    private static bool s_exitHookInstalled;
    private static PosixSignalRegistration? s_sigterm;
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private HostProcess(string role, Process process)
    {
        Role = role;
        _process = process;
        Pid = process.Id;
    }

    /// <summary>What this process is within its server: <c>server</c>, <c>gateway</c> or <c>silo</c>.</summary>
    public string Role { get; }

    /// <summary>The process id.</summary>
    public int Pid { get; }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once exited, else null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

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
        lock (s_live)
        {
            if (!s_exitHookInstalled)
            {
                s_exitHookInstalled = true;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
                s_sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAll());
            }

            s_live.Add(host);
        }

        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The process's CPU and memory now (null once it exited).</summary>
    public ProcessStats? Stats() => _process.HasExited ? null : ProcessStats.Read(Pid);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (s_live)
        {
            s_live.Remove(this);
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private static void KillAll()
    {
        HostProcess[] live;
        lock (s_live)
        {
            live = [.. s_live];
        }

        foreach (var host in live)
        {
            host.Dispose();
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
