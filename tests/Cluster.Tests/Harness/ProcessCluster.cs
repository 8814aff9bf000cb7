using System.Globalization;
using System.Net;
using Npgsql;
using Switchboard.TestInfrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Switchboard.Cluster.Tests.Harness;

/// <summary>
/// A cluster of real processes for one test: its own PostgreSQL database and cluster id, silos and gateways started
/// from the built hosts on free loopback ports, and bounded waits that read the cluster's state where it is recorded
/// (Orleans' membership table, the hosts' logs, <c>/health</c>). Disposal kills every process that still runs (SIGKILL, even when
/// the test failed) and writes each process's output to the test output, so a failing test shows what the hosts did.
/// </summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    /// <summary>Bound on a silo reaching Active or a gateway answering ready (cold start of a .NET host on 2 cores).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(45);

    private readonly ITestOutputHelper _output;
    private readonly List<ClusterProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(3) };

    private ProcessCluster(ITestOutputHelper output, string connectionString, string clusterId)
    {
        _output = output;
        ConnectionString = connectionString;
        ClusterId = clusterId;
    }

    /// <summary>Npgsql connection string of the cluster's database (what the hosts get as <c>ConnectionStrings__Cluster</c>).</summary>
    public string ConnectionString { get; }

    /// <summary>The cluster id (<c>Cluster__ClusterId</c>; the membership rows' <c>deploymentid</c>).</summary>
    public string ClusterId { get; }

    /// <summary>Where each process's full output is written (<c>$TMPDIR/switchboard-cluster-tests/&lt;cluster id&gt;</c>).</summary>
    public string LogDirectory => Path.Combine(Path.GetTempPath(), "switchboard-cluster-tests", ClusterId);

    /// <summary>Every silo process started so far (running or not).</summary>
    public IReadOnlyList<ClusterProcess> Silos => [.. _processes.Where(p => p.Kind == ProcessKind.Silo)];

    /// <summary>Creates a fresh database on <paramref name="postgres"/> and a unique cluster id named after <paramref name="name"/>.</summary>
    public static async Task<ProcessCluster> CreateAsync(ITestOutputHelper output, PostgresServer postgres, string name)
    {
        ArgumentNullException.ThrowIfNull(postgres);
        _ = HostBinaries.SiloDll;
        _ = HostBinaries.GatewayDll;
        var connectionString = await postgres.CreateDatabaseAsync(name).ConfigureAwait(false);
        var clusterId = $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];
        output.WriteLine($"cluster {clusterId} on {new NpgsqlConnectionStringBuilder(connectionString).Database}");
        return new ProcessCluster(output, connectionString, clusterId);
    }

    /// <summary>Starts a silo and waits until its membership row is Active.</summary>
    public async Task<ClusterProcess> StartSiloAsync(string name) => (await StartSilosAsync(name).ConfigureAwait(false))[0];

    /// <summary>Starts a silo with <paramref name="environment"/> added and waits until its membership row is Active.</summary>
    public async Task<ClusterProcess> StartSiloAsync(string name, IReadOnlyDictionary<string, string> environment)
        => (await StartSilosAsync(environment, [name]).ConfigureAwait(false))[0];

    /// <summary>Starts silos together (their cold starts overlap) and waits until each one's membership row is Active.</summary>
    public Task<IReadOnlyList<ClusterProcess>> StartSilosAsync(params string[] names) => StartSilosAsync(new Dictionary<string, string>(), names);

    private async Task<IReadOnlyList<ClusterProcess>> StartSilosAsync(IReadOnlyDictionary<string, string> extra, string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var silos = new List<ClusterProcess>();
        foreach (var name in names)
        {
            int port = FreePort.Next();
            int clientPort = FreePort.Next();
            silos.Add(Launch(ProcessKind.Silo, name, port, clientPort, HostBinaries.SiloDll, new Dictionary<string, string>
            {
                ["Silo__SiloName"] = name,
                ["Silo__Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["Silo__GatewayPort"] = clientPort.ToString(CultureInfo.InvariantCulture),
                ["Silo__DashboardPort"] = "0",
                ["Silo__ListenAddress"] = "127.0.0.1",
                ["Silo__AdvertisedAddress"] = "127.0.0.1",
            }.Concat(extra).ToDictionary()));
        }

        foreach (var silo in silos)
        {
            var row = await WaitForSiloStatusAsync("silo start", silo, StartTimeout, MemberStatus.Active).ConfigureAwait(false);
            Log($"{silo} is Active as {row.SiloAddress} (client port {row.ProxyPort})");
        }

        return silos;
    }

    /// <summary>Starts a gateway (with <paramref name="environment"/> added) and waits until its <c>/health</c> answers 200 (ready).</summary>
    public async Task<ClusterProcess> StartGatewayAsync(string name, IReadOnlyDictionary<string, string>? environment = null)
    {
        int port = FreePort.Next();
        var gateway = Launch(ProcessKind.Gateway, name, port, 0, HostBinaries.GatewayDll, new Dictionary<string, string>
        {
            ["Gateway__Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Gateway__BindAddress"] = "127.0.0.1",
        }.Concat(environment ?? new Dictionary<string, string>()).ToDictionary());
        // Ready = 200 (healthy or degraded): right after start-up the latency window may still hold JIT-slow samples.
        var ready = await Poll.UntilAsync(
            "gateway start", gateway.ToString(), "GET /health 200 (ready)", _ => ReadHealthAsync(gateway),
            h => h.StatusCode == HttpStatusCode.OK || gateway.HasExited, StartTimeout).ConfigureAwait(false);
        if (gateway.HasExited)
        {
            throw new InvalidOperationException($"[gateway start] {gateway} exited with {gateway.ExitCode} before it was ready"
                + (gateway.ExitCode == 0 ? " (exit code 0: it was asked to stop, by a signal from outside the test)." : "."));
        }

        Log($"{gateway} is ready: {ready}");
        return gateway;
    }

    /// <summary>The rows of this cluster in Orleans' <c>orleansmembershiptable</c> (empty while the table does not exist yet).</summary>
    public async Task<IReadOnlyList<MembershipRow>> ReadMembershipAsync(CancellationToken cancellationToken = default)
    {
        const string sql = "SELECT address, port, generation, siloname, status, proxyport FROM orleansmembershiptable WHERE deploymentid = @cluster ORDER BY port, generation";
        return await QueryAsync(sql, r => new MembershipRow(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetString(3), (MemberStatus)r.GetInt32(4), r.GetInt32(5)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest membership row of <paramref name="silo"/> (its port; the highest generation), or null.</summary>
    public async Task<MembershipRow?> ReadSiloRowAsync(ClusterProcess silo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var rows = await ReadMembershipAsync(cancellationToken).ConfigureAwait(false);
        return rows.Where(r => r.Port == silo.Port).MaxBy(r => r.Generation);
    }

    /// <summary>Waits until <paramref name="silo"/>'s row has one of <paramref name="statuses"/>; fails early if a silo
    /// that should become Active exits.</summary>
    public Task<MembershipRow> WaitForSiloStatusAsync(string phase, ClusterProcess silo, TimeSpan timeout, params MemberStatus[] statuses)
    {
        ArgumentNullException.ThrowIfNull(silo);
        bool expectLive = statuses.Contains(MemberStatus.Active);
        return Poll.UntilAsync(
            phase,
            silo.ToString(),
            $"membership status {string.Join(" or ", statuses)}",
            async ct =>
            {
                if (expectLive && silo.HasExited)
                {
                    throw new InvalidOperationException($"the process exited with {silo.ExitCode}");
                }

                return await ReadSiloRowAsync(silo, ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("no membership row yet");
            },
            row => statuses.Contains(row.Status),
            timeout);
    }

    /// <summary>One <c>GET /health</c> of <paramref name="gateway"/>; a failed request is a reading with an error, not an exception.</summary>
    public async Task<HealthReading> ReadHealthAsync(ClusterProcess gateway, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        try
        {
            using var response = await _http.GetAsync(new Uri(gateway.BaseAddress, "health"), cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return HealthReading.Parse(response.StatusCode, body);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new HealthReading(null, null, -1, 0, false, [], string.Empty, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    /// <summary>Fails when a process of the cluster exited without the test stopping it: a crash, or a signal sent
    /// from outside the test (this machine is shared; a broad <c>pkill -f Switchboard.Silo.dll</c> elsewhere reaches
    /// these hosts too). Called before a test's own assertions, so such a run names the cause instead of its effects.</summary>
    public void AssertNoUnexpectedExit()
    {
        var exits = _processes.Select(p => p.UnexpectedExit).OfType<string>().ToList();
        Assert.True(exits.Count == 0, "[processes] expected every host to run until the test stopped it; actual: " + string.Join("; ", exits));
    }

    /// <summary>Writes a timestamped line to the test output.</summary>
    public void Log(string line)
    {
        try
        {
            _output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var exit in _processes.Select(p => p.UnexpectedExit).OfType<string>())
        {
            Log($"UNEXPECTED EXIT: {exit}");
        }

        // Kill first (all of them, before waiting on any), so no process outlives the test even if a dump fails.
        foreach (var process in _processes)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        foreach (var process in _processes)
        {
            try
            {
                await process.DisposeAsync().ConfigureAwait(false);
                Log(process.Tail());
            }
            catch (Exception exception)
            {
                // Disposal must not hide the test's own failure.
                Log($"disposing {process} failed: {exception}");
            }
        }

        _http.Dispose();
    }

    private ClusterProcess Launch(ProcessKind kind, string name, int port, int clientPort, string dll, Dictionary<string, string> environment)
    {
        environment["Cluster__Membership"] = "Postgres";
        environment["ConnectionStrings__Cluster"] = ConnectionString;
        environment["Cluster__ClusterId"] = ClusterId;
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = ClusterProcess.Start(kind, name, port, clientPort, dll, environment, LogDirectory);
        _processes.Add(process);
        Log($"started {process}");
        return process;
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("cluster", ClusterId);
        var rows = new List<T>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(map(reader));
            }
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The first silo applies the schema (src/Postgres); before that the cluster simply has no rows.
        }

        return rows;
    }
}
