using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Switchboard.Cluster.Tests.Harness;

/// <summary>
/// One silo or gateway process (<c>dotnet Switchboard.X.dll</c>, so the pid is the host itself). Its stdout and stderr
/// are drained continuously (a chatty host never blocks on a full pipe) into a bounded tail plus the first warnings and
/// errors (which a kill test needs even when they scrolled out of the tail); the cluster writes both to the test output
/// when it is disposed. <see cref="Kill"/> is SIGKILL (a crash: no shutdown code runs);
/// <see cref="SigtermAsync"/> is SIGTERM (the host's graceful shutdown). Disposal SIGKILLs whatever still runs.
/// </summary>
internal sealed class ClusterProcess : IAsyncDisposable
{
    private const int TailLines = 300;

    // Hosts still running are killed when the test process exits too (a crashed or cancelled run leaves no orphans).
    private static readonly ConcurrentDictionary<int, Process> s_live = new();
    private static int s_exitHookInstalled;

    private const int NotableLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly List<string> _notable = [];
    private readonly List<ConnectionEvent> _connectionEvents = [];
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private StreamWriter? _file;
    private volatile bool _stopRequested;
    private long _exitedAt;
    private long _lines;
    private int? _exitCodeAfterDispose;
    private bool _disposed;

    private ClusterProcess(ProcessKind kind, string name, int port, int clientPort, Process process)
    {
        Kind = kind;
        Name = name;
        Port = port;
        ClientPort = clientPort;
        _process = process;
        Pid = process.Id;
    }

    /// <summary>Silo or gateway.</summary>
    public ProcessKind Kind { get; }

    /// <summary>The name given to the process (<c>Silo__SiloName</c> for a silo).</summary>
    public string Name { get; }

    /// <summary>The silo's TCP port (<c>Silo__Port</c>, the membership row's <c>port</c>), or the gateway's HTTP port.</summary>
    public int Port { get; }

    /// <summary>A silo's client port (<c>Silo__GatewayPort</c>, the row's <c>proxyport</c>); 0 for a gateway.</summary>
    public int ClientPort { get; }

    /// <summary>The host's process id.</summary>
    public int Pid { get; }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>The exit code once exited (SIGKILL shows as 137 or -1).</summary>
    public int? ExitCode => _disposed ? _exitCodeAfterDispose : _process.HasExited ? _process.ExitCode : null;

    /// <summary>The gateway's Twilio endpoint.</summary>
    public Uri MediaStreamUrl => new(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{Port}/twilio/media-stream"));

    /// <summary>The gateway's HTTP base address.</summary>
    public Uri BaseAddress => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    /// <summary>The process exited although the test never stopped it (no <see cref="Kill"/>, <see cref="SigtermAsync"/>
    /// or disposal before): a crash, or a signal from outside the test. Null while running or after a requested stop.</summary>
    public string? UnexpectedExit => !_stopRequested && Interlocked.Read(ref _exitedAt) is var at and not 0
        ? string.Create(CultureInfo.InvariantCulture, $"{this} exited with {(_process.HasExited ? _process.ExitCode : -1)} at +{Stopwatch.GetElapsedTime(_startedAt, at).TotalSeconds:F3}s of its life without the test stopping it")
        : null;

    /// <summary>The file every line of the process's output is written to (the tail only keeps the last lines).</summary>
    public string? LogFile { get; private set; }

    /// <summary>Starts <c>dotnet <paramref name="dll"/></c> with <paramref name="environment"/> added to this process's
    /// environment; every output line also goes to a file in <paramref name="logDirectory"/>.</summary>
    public static ClusterProcess Start(ProcessKind kind, string name, int port, int clientPort, string dll, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        if (Interlocked.Exchange(ref s_exitHookInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {kind} {name}: dotnet {dll}.");
        }

        s_live[process.Id] = process;
        var started = new ClusterProcess(kind, name, port, clientPort, process);
        Directory.CreateDirectory(logDirectory);
        started.LogFile = Path.Combine(logDirectory, string.Create(CultureInfo.InvariantCulture, $"{name}-{process.Id}.log"));
        started._file = new StreamWriter(started.LogFile, append: false) { AutoFlush = false };
        process.Exited += (_, _) => Interlocked.CompareExchange(ref started._exitedAt, Stopwatch.GetTimestamp(), 0);
        if (process.HasExited)
        {
            Interlocked.CompareExchange(ref started._exitedAt, Stopwatch.GetTimestamp(), 0);
        }

        process.OutputDataReceived += (_, e) => started.Keep("out", e.Data);
        process.ErrorDataReceived += (_, e) => started.Keep("err", e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>SIGKILL: the process dies at once, without running any shutdown code.</summary>
    public void Kill()
    {
        _stopRequested = true;
        if (!_process.HasExited)
        {
            _process.Kill();
        }
    }

    /// <summary>SIGTERM: asks the host to shut down gracefully (returns once the signal is sent).</summary>
    public async Task SigtermAsync()
    {
        _stopRequested = true;
        // Process.Kill only sends SIGKILL; /bin/kill is the portable way to send SIGTERM without unsafe P/Invoke.
        var info = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-TERM");
        info.ArgumentList.Add(Pid.ToString(CultureInfo.InvariantCulture));
        using var kill = Process.Start(info) ?? throw new InvalidOperationException($"Could not run kill -TERM {Pid}.");
        string error = await kill.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await kill.WaitForExitAsync().ConfigureAwait(false);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {Pid} ({Kind} {Name}) failed with exit code {kill.ExitCode}: {error}");
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit; returns its exit code, or null if it still runs.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>What the process printed: its first warnings/errors and its last lines (stdout and stderr tagged), with headers.</summary>
    public string Tail()
    {
        lock (_tail)
        {
            var state = HasExited ? $"exited with {ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}" : "running";
            var nl = Environment.NewLine;
            return $"===== {this}, {state}: all output in {LogFile} =====" + nl
                + $"===== {this}: first {_notable.Count} warnings/errors =====" + nl + string.Join(nl, _notable) + nl
                + $"===== {this}: last {_tail.Count} of {_lines} lines =====" + nl + string.Join(nl, _tail);
        }
    }

    /// <summary>The log lines so far that name a connection (see <see cref="ConnectionEvent"/>), in the order read.</summary>
    public IReadOnlyList<ConnectionEvent> ConnectionEvents()
    {
        lock (_tail)
        {
            return [.. _connectionEvents];
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _stopRequested = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        s_live.TryRemove(new KeyValuePair<int, Process>(Pid, _process));
        lock (_tail)
        {
            _file?.Dispose();
            _file = null;
        }

        _exitCodeAfterDispose = _process.HasExited ? _process.ExitCode : null;
        _disposed = true;
        _process.Dispose();
    }

    private static void KillAll()
    {
        foreach (var process in s_live.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Name} (pid {Pid}, port {Port})";

    private void Keep(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        var connectionEvent = stream == "out" ? ParseConnectionEvent(now, line) : null;
        var elapsed = Stopwatch.GetElapsedTime(_startedAt, now).TotalSeconds;
        var tagged = string.Create(CultureInfo.InvariantCulture, $"+{elapsed,7:F3}s {stream} {line}");
        bool notable = stream == "err"
            || line.Contains("\"level\":\"Warning\"", StringComparison.Ordinal)
            || line.Contains("\"level\":\"Error\"", StringComparison.Ordinal)
            || line.Contains("\"level\":\"Fatal\"", StringComparison.Ordinal);
        lock (_tail)
        {
            _lines++;
            _file?.WriteLine(tagged);
            if (connectionEvent is not null)
            {
                _connectionEvents.Add(connectionEvent);
            }

            if (notable && _notable.Count < NotableLines)
            {
                _notable.Add(tagged);
            }

            _tail.Enqueue(tagged);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }

    // The hosts log one JSON object per line (SwitchboardJsonFormatter); only lines with a non-null connectionId matter.
    private static ConnectionEvent? ParseConnectionEvent(long receivedAt, string line)
    {
        if (!line.StartsWith('{') || !line.Contains("\"connectionId\":\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return Text("connectionId") is { Length: > 0 } id
                ? new ConnectionEvent(receivedAt, id, Text("component") ?? string.Empty, Text("event") ?? string.Empty, Text("message") ?? string.Empty)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
