using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// Starts fresh servers on free loopback ports and waits until they serve:
/// <list type="bullet">
/// <item>baseline: <c>Baseline.dll --port P</c>; ready when the port accepts TCP;</item>
/// <item>embedded: <c>Switchboard.Silo.dll</c> without cluster keys; ready when the port accepts TCP;</item>
/// <item>cluster: <c>Switchboard.Silo.dll</c> and <c>Switchboard.Gateway.dll</c> with PostgreSQL membership and a
/// cluster id of their own (the keys and the readiness rule of tests/Cluster.Tests' harness); ready when the
/// gateway's <c>/health</c> answers 200 and lists an Active silo that reports. Both start at once: the gateway reads
/// membership every second and dials a silo as soon as it turns Active, so nothing is gained by waiting between them.</item>
/// </list>
/// A server that exits or is not ready in time is killed and reported with its output.
/// </summary>
internal sealed class ServerFactory(BenchPaths paths, BenchPostgres? postgres)
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The repository's builds.</summary>
    public BenchPaths Paths => paths;

    /// <summary>The run's PostgreSQL (cluster mode only), else null.</summary>
    public BenchPostgres? Postgres => postgres;

    /// <summary>Starts a <paramref name="kind"/> server with <paramref name="extraEnvironment"/> added to every process's environment.</summary>
    /// <exception cref="InvalidOperationException">The server exited or was not ready in time (the message has its output).</exception>
    public async Task<ServerProcess> StartAsync(ServerKind kind, IReadOnlyDictionary<string, string> extraEnvironment, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extraEnvironment);
        var server = kind switch
        {
            ServerKind.Baseline => StartBaseline(extraEnvironment),
            ServerKind.Embedded => StartEmbedded(extraEnvironment),
            _ => StartCluster(extraEnvironment),
        };

        try
        {
            if (kind == ServerKind.Cluster)
            {
                await WaitClusterReadyAsync(server, startTimeout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WaitListeningAsync(server, startTimeout, cancellationToken).ConfigureAwait(false);
            }

            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    private ServerProcess StartBaseline(IReadOnlyDictionary<string, string> extraEnvironment)
    {
        int port = FreePort();
        return new ServerProcess(ServerKind.Baseline, port, [HostProcess.Start("server", [paths.BaselineDll, "--port", Text(port)], extraEnvironment, paths.Root)]);
    }

    private ServerProcess StartEmbedded(IReadOnlyDictionary<string, string> extraEnvironment)
    {
        int port = FreePort();
        // Embedded mode's silo port must be free too (Orleans cannot take 0), and the benchmark has no use for the dashboard.
        var embedded = Merge(GatewayEnvironment(port), new Dictionary<string, string> { ["Silo__Port"] = Text(FreePort()), ["Silo__DashboardPort"] = "0" });
        return new ServerProcess(ServerKind.Embedded, port, [HostProcess.Start("server", [paths.SiloDll], Merge(embedded, extraEnvironment), paths.Root)]);
    }

    private ServerProcess StartCluster(IReadOnlyDictionary<string, string> extraEnvironment)
    {
        var store = postgres ?? throw new InvalidOperationException("cluster mode needs the run's PostgreSQL, which was not started");

        // A fresh cluster id per server: its rows in the shared database are its own, and no earlier trial's dead
        // silo is in its membership view.
        string clusterId = $"bench-{Guid.NewGuid():N}"[..22];
        var cluster = new Dictionary<string, string>
        {
            ["Cluster__Membership"] = "Postgres",
            ["ConnectionStrings__Cluster"] = store.ConnectionString,
            ["Cluster__ClusterId"] = clusterId,
        };
        var silo = new Dictionary<string, string>(cluster)
        {
            ["Silo__SiloName"] = "bench-silo",
            ["Silo__Port"] = Text(FreePort()),
            ["Silo__GatewayPort"] = Text(FreePort()),
            ["Silo__DashboardPort"] = "0",
            ["Silo__ListenAddress"] = "127.0.0.1",
            ["Silo__AdvertisedAddress"] = "127.0.0.1",
            ["Logging__MinimumLevel"] = "Warning",
        };
        int port = FreePort();
        var gateway = Merge(cluster, GatewayEnvironment(port));
        var siloHost = HostProcess.Start("silo", [paths.SiloDll], Merge(silo, extraEnvironment), paths.Root);
        HostProcess gatewayHost;
        try
        {
            gatewayHost = HostProcess.Start("gateway", [paths.GatewayDll], Merge(gateway, extraEnvironment), paths.Root);
        }
        catch
        {
            siloHost.Dispose();
            throw;
        }

        return new ServerProcess(ServerKind.Cluster, port, [gatewayHost, siloHost], clusterId);
    }

    // The edge limits are lifted: every simulated call comes from 127.0.0.1 at the ramp rate (200/s), exactly the flood
    // from one address the upgrade limit exists to refuse, and the idle measurement holds thousands of calls. The
    // benchmark measures the media path, not the limits.
    private static Dictionary<string, string> GatewayEnvironment(int port) => new()
    {
        ["Gateway__Port"] = Text(port),
        ["Gateway__BindAddress"] = "127.0.0.1",
        ["Gateway__UpgradeRateLimit__PerAddressPerSecond"] = "0",
        ["Gateway__MaxConnections"] = "1000000",
        ["Logging__MinimumLevel"] = "Warning",
    };

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> first, IReadOnlyDictionary<string, string> second)
    {
        var merged = new Dictionary<string, string>(first);
        foreach (var (name, value) in second)
        {
            merged[name] = value;
        }

        return merged;
    }

    private static async Task WaitListeningAsync(ServerProcess server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < timeout)
        {
            ThrowIfExited(server);
            using var client = new TcpClient();
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(1));
                await client.ConnectAsync(IPAddress.Loopback, server.Port, attempt.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"{server.Kind} did not listen on port {server.Port} within {timeout.TotalSeconds} s:{Environment.NewLine}{server.Tail}");
    }

    private static async Task WaitClusterReadyAsync(ServerProcess server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var health = new Uri(server.BaseAddress, "health");
        var elapsed = Stopwatch.StartNew();
        string last = "no answer yet";
        while (elapsed.Elapsed < timeout)
        {
            ThrowIfExited(server);
            try
            {
                using var response = await http.GetAsync(health, cancellationToken).ConfigureAwait(false);
                string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK && HasReportingActiveSilo(body))
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode} {(body.Length <= 300 ? body : body[..300] + "...")}";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
            {
                last = $"{exception.GetType().Name}: {exception.Message}";
            }

            await Task.Delay(s_pollInterval, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException(
            $"cluster {server.ClusterId}: expected GET /health 200 with an Active silo that reports within {timeout.TotalSeconds} s; last: {last}{Environment.NewLine}{server.Tail}");
    }

    /// <summary>
    /// Whether a <c>/health</c> body lists an Active silo in <c>membership</c> and a silo among the <c>nodes</c> that is
    /// not silent: the gateway can place calls and the silo's health reports reach the health grain.
    /// </summary>
    internal static bool HasReportingActiveSilo(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        bool active = root.TryGetProperty("membership", out var membership)
            && membership.TryGetProperty("silos", out var silos)
            && silos.ValueKind == JsonValueKind.Array
            && silos.EnumerateArray().Any(s => s.TryGetProperty("status", out var status) && status.GetString() == "Active");
        bool reporting = root.TryGetProperty("nodes", out var nodes)
            && nodes.ValueKind == JsonValueKind.Array
            && nodes.EnumerateArray().Any(n =>
                n.TryGetProperty("role", out var role) && role.GetString() == "silo"
                && !(n.TryGetProperty("silent", out var silent) && silent.ValueKind == JsonValueKind.True));
        return active && reporting;
    }

    private static void ThrowIfExited(ServerProcess server)
    {
        if (server.Exited is { } host)
        {
            throw new InvalidOperationException($"{server.Kind}: the {host.Role} exited with code {host.ExitCode} before it was ready:{Environment.NewLine}{server.Tail}");
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
