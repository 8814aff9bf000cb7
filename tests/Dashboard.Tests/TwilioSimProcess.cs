using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Switchboard.Dashboard.Tests;

/// <summary>
/// TwilioSim (tools/TwilioSim) run through its command line as a child process: <c>--calls N --duration S --json</c>
/// against the gateway's Media Streams endpoint. Its in-process API is internal to the assemblies TwilioSim names in
/// InternalsVisibleTo, which this one is not; the command line is the tool's documented contract. The process exits
/// on its own when every call has streamed, drained and stopped, printing a one-line JSON summary.
/// </summary>
internal sealed class TwilioSimProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private TwilioSimProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="calls"/> calls of <paramref name="duration"/> each against <paramref name="url"/>.</summary>
    public static TwilioSimProcess Start(Uri url, int calls, TimeSpan duration)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "TwilioSim.dll");
        if (!File.Exists(dll) || !File.Exists(Path.Combine(AppContext.BaseDirectory, "TwilioSim.runtimeconfig.json")))
        {
            throw new InvalidOperationException($"TwilioSim is not in the build output ({dll} and its runtimeconfig.json); build tests/Dashboard.Tests.");
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--url");
        info.ArgumentList.Add(url.ToString());
        info.ArgumentList.Add("--calls");
        info.ArgumentList.Add(calls.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--duration");
        info.ArgumentList.Add(duration.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--json");

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start dotnet {dll}.");
        var sim = new TwilioSimProcess(process);
        process.OutputDataReceived += (_, e) => sim.Append(sim._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => sim.Append(sim._stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sim;
    }

    /// <summary>What the simulator printed so far, for failure messages.</summary>
    public string Output()
    {
        lock (_stdout)
        {
            return $"exited={_process.HasExited} stdout=[{_stdout.ToString().Trim()}] stderr=[{_stderr.ToString().Trim()}]";
        }
    }

    /// <summary>Waits for the simulator to finish on its own; returns its exit code and parsed JSON summary.</summary>
    public async Task<(int ExitCode, JsonElement Summary)> CompletionAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"TwilioSim did not finish within {timeout}: {Output()}");
        }

        string line;
        lock (_stdout)
        {
            line = _stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            return (_process.ExitCode, document.RootElement.Clone());
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"TwilioSim exited with {_process.ExitCode} without a JSON summary: {Output()}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stdout)
        {
            target.AppendLine(line);
        }
    }
}
