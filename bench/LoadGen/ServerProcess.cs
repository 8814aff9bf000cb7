using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// One server under test as a separate process started here (<c>dotnet X.dll</c>, so the pid is the server itself),
/// on a free loopback port. Output is drained (the last lines are kept for failure reports) so a chatty server can
/// never block on a full pipe. Dispose kills the process (its tree) and waits, bounded.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private const int TailLines = 30;

    // Servers still running, killed on SIGTERM/exit of this program too, so an interrupted run leaves no orphans.
    private static readonly HashSet<ServerProcess> s_live = [];
    private static bool s_exitHookInstalled;
    private static PosixSignalRegistration? s_sigterm;
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private ServerProcess(ServerKind kind, Process process, int port)
    {
        Kind = kind;
        _process = process;
        Port = port;
    }

    /// <summary>Which server this is.</summary>
    public ServerKind Kind { get; }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The server's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>The Media Streams endpoint.</summary>
    public Uri MediaStreamUrl => new($"ws://127.0.0.1:{Port}/twilio/media-stream");

    /// <summary>The last lines the server printed.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join(Environment.NewLine, _tail);
            }
        }
    }

    /// <summary>
    /// Starts the server and waits until its port accepts TCP connections (bounded by <paramref name="startTimeout"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The server exited or did not listen in time (message has its output).</exception>
    public static async Task<ServerProcess> StartAsync(ServerKind kind, BenchPaths paths, IReadOnlyDictionary<string, string> extraEnvironment, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(extraEnvironment);
        int port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = paths.Root,
        };
        if (kind == ServerKind.Baseline)
        {
            info.ArgumentList.Add(paths.BaselineDll);
            info.ArgumentList.Add("--port");
            info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            info.ArgumentList.Add(paths.SiloDll);
            info.Environment["Gateway__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            info.Environment["Gateway__BindAddress"] = "127.0.0.1";
            info.Environment["Logging__MinimumLevel"] = "Warning";
            // One load generator on one address opens calls far faster than any Twilio address does (ramp 200/s), and
            // up to --max-calls of them: the edge limits are not what is measured here (docs/security.md).
            info.Environment["Gateway__UpgradeRateLimit__PerAddressPerSecond"] = "0";
            info.Environment["Gateway__MaxConnections"] = "1000000";
        }

        foreach (var (name, value) in extraEnvironment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {kind}");
        var server = new ServerProcess(kind, process, port);
        lock (s_live)
        {
            if (!s_exitHookInstalled)
            {
                s_exitHookInstalled = true;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
                s_sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAll());
            }

            s_live.Add(server);
        }

        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitListeningAsync(startTimeout, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>The server's CPU and memory now (null once it exited).</summary>
    public ProcessStats? Stats() => _process.HasExited ? null : ProcessStats.Read(Pid);

    /// <summary>Whether the server is still running.</summary>
    public bool IsRunning => !_process.HasExited;

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
        ServerProcess[] live;
        lock (s_live)
        {
            live = [.. s_live];
        }

        foreach (var server in live)
        {
            server.Dispose();
        }
    }

    private async Task WaitListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Kind} exited with code {_process.ExitCode} before listening:{Environment.NewLine}{Tail}");
            }

            using var client = new TcpClient();
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(1));
                await client.ConnectAsync(IPAddress.Loopback, Port, attempt.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"{Kind} did not listen on port {Port} within {timeout.TotalSeconds} s:{Environment.NewLine}{Tail}");
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
