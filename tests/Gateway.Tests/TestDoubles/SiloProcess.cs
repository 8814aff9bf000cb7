using System.Diagnostics;
using System.Globalization;
using System.Net;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Gateway.Tests.TestDoubles;

/// <summary>
/// The embedded-mode host as its own process (<c>dotnet src/Silo/bin/&lt;configuration&gt;/net10.0/Switchboard.Silo.dll</c>,
/// what <c>dotnet run --project src/Silo</c> runs), for measurements the shared test process would distort: its
/// resident memory is the server's alone. Signed like <see cref="EmbeddedGatewayHost"/>; killed on dispose.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private SiloProcess(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        WebSocketUri = new Uri($"ws://127.0.0.1:{port}/twilio/media-stream");
    }

    public Uri BaseAddress { get; }

    public Uri WebSocketUri { get; }

    /// <summary>Starts the host with <paramref name="environment"/> added and waits until <c>/health</c> answers 200.</summary>
    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string> environment, ITestOutputHelper output)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Release";
        var dll = Path.Combine(PostgresServer.RepositoryRoot(), "src", "Silo", "bin", configuration, "net10.0", "Switchboard.Silo.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"This test launches the built host {dll}, which does not exist. Build first: `dotnet build Orleans.sln -c {configuration}`.");
        }

        var port = FreePort.Next();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        info.Environment["Gateway__Port"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["Gateway__BindAddress"] = "127.0.0.1";
        // Orleans' silo port cannot be 0 and its default (11111) may be taken by another test's silo; no dashboard.
        info.Environment["Silo__Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        info.Environment["Silo__DashboardPort"] = "0";
        info.Environment["TWILIO_AUTH_TOKEN"] = GatewayTestHost.AuthToken;
        info.Environment["PUBLIC_URL"] = GatewayTestHost.PublicUrl;
        info.Environment["Logging__MinimumLevel"] = "Warning";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start dotnet {dll}.");
        var silo = new SiloProcess(process, port);
        // Drained as they come, so a chatty host never blocks on a full pipe; the tail explains a failed start.
        process.OutputDataReceived += (_, e) => silo.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The silo process exited with {process.ExitCode} while starting: {silo.Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    output.WriteLine($"silo process {process.Id} ready on port {port} after {started.ElapsedMilliseconds} ms");
                    return silo;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (started.Elapsed > StartTimeout)
            {
                await silo.DisposeAsync();
                throw new TimeoutException($"The silo process did not answer /health with 200 within {StartTimeout}: {silo.Tail()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The process's resident set size (VmRSS), what a container's memory limit counts.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{_process.Id}/status has no VmRSS line.");
    }

    public string Tail()
    {
        lock (_tail)
        {
            return string.Join(Environment.NewLine, _tail);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(exit.Token);
        _process.Dispose();
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
            while (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }
}
