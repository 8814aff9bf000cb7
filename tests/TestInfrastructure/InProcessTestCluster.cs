using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Runtime;
using Switchboard.Runtime.Catalog;
using Switchboard.Runtime.GrainDirectory;
using Switchboard.Runtime.Hosting;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Messaging;
using Switchboard.Runtime.Networking;
using Switchboard.Runtime.Storage;
using Xunit.Abstractions;

namespace Switchboard.TestInfrastructure;

/// <summary>
/// N silos and any number of clients in one process, like Orleans' <c>InProcessTestCluster</c>, but over the real TCP
/// transport on 127.0.0.1 (ephemeral ports) with the real membership agent, router and catalog. Membership table,
/// grain directory and grain storage are shared in-memory instances (what PostgreSQL is in production).
/// Topology: <see cref="StartAdditionalSiloAsync"/>, <see cref="StopSiloAsync"/> (graceful: SIGTERM),
/// <see cref="KillSiloAsync"/> (abrupt: the host is disposed without stopping, so nothing is handed off or written),
/// <see cref="WaitForLivenessToStabilizeAsync"/>. Real time: membership defaults (1 s probes) apply.
/// </summary>
public sealed class InProcessTestCluster : IAsyncDisposable
{
    private readonly List<TestClusterNode> _silos = [];
    private readonly List<TestClusterNode> _clients = [];
    private readonly Action<IServiceCollection> _configureSilo;
    private readonly Dictionary<string, string?> _settings;
    private readonly ITestOutputHelper? _output;
    private int _nextSilo;
    private int _nextClient;

    private InProcessTestCluster(Action<IServiceCollection> configureSilo, Dictionary<string, string?> settings, ITestOutputHelper? output)
    {
        _configureSilo = configureSilo;
        _settings = settings;
        _output = output;
    }

    /// <summary>The membership table every node shares.</summary>
    internal InMemoryMembershipTable Table { get; } = new();

    /// <summary>The grain directory every node shares.</summary>
    internal InMemoryGrainDirectory Directory { get; } = new();

    /// <summary>The grain storage every silo shares.</summary>
    internal InMemoryGrainStorage Storage { get; } = new();

    /// <summary>Live silos (started and neither stopped nor killed).</summary>
    public IReadOnlyList<TestClusterNode> Silos => [.. _silos];

    /// <summary>Starts <paramref name="siloCount"/> silos (each with <paramref name="configureSilo"/> adding its grains) and
    /// waits until every silo sees every other one Active.</summary>
    public static async Task<InProcessTestCluster> StartAsync(
        int siloCount,
        Action<IServiceCollection> configureSilo,
        ITestOutputHelper? output = null,
        IDictionary<string, string?>? settings = null)
    {
        var cluster = new InProcessTestCluster(configureSilo, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()), output);
        try
        {
            for (var i = 0; i < siloCount; i++)
            {
                await cluster.StartAdditionalSiloAsync().ConfigureAwait(false);
            }

            await cluster.WaitForLivenessToStabilizeAsync().ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts one more silo and returns once it is Active.</summary>
    public Task<TestClusterNode> StartAdditionalSiloAsync() => StartSiloAsync($"silo{++_nextSilo}", port: 0);

    /// <summary>Kills <paramref name="silo"/> (as SIGKILL) and starts a new process of it at once: same name, same port, a
    /// new generation. Returns the new silo once it is Active; the old generation is declared Dead by the others.</summary>
    public async Task<TestClusterNode> RestartSiloAsync(TestClusterNode silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var port = silo.Address!.Port;
        await KillSiloAsync(silo).ConfigureAwait(false);
        return await StartSiloAsync(silo.Name, port).ConfigureAwait(false);
    }

    private async Task<TestClusterNode> StartSiloAsync(string name, int port)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Silo:SiloName"] = name,
            ["Silo:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:ListenAddress"] = "127.0.0.1",
            ["Silo:AdvertisedAddress"] = "127.0.0.1",
            ["Cluster:ClusterId"] = "test",
        });
        builder.Configuration.AddInMemoryCollection(_settings);
        ConfigureShared(builder);
        builder.Services.AddSwitchboardClusterSilo(builder.Configuration);
        _configureSilo(builder.Services);
        var host = builder.Build();
        var node = new TestClusterNode(name, host);
        await host.StartAsync().ConfigureAwait(false);
        _silos.Add(node);
        return node;
    }

    /// <summary>Starts a cluster client (a gateway's runtime) and returns once it sees the Active silos.</summary>
    public async Task<TestClusterNode> StartClientAsync()
    {
        var name = $"client{++_nextClient}";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Cluster:ClusterId"] = "test" });
        builder.Configuration.AddInMemoryCollection(_settings);
        ConfigureShared(builder);
        builder.Services.AddSwitchboardClusterClient(builder.Configuration, name);
        var host = builder.Build();
        var node = new TestClusterNode(name, host);
        await host.StartAsync().ConfigureAwait(false);
        _clients.Add(node);
        var expected = _silos.Count;
        await TestWait.UntilAsync(() => node.Membership.CurrentSnapshot.ActiveSilos.Count >= expected,
            $"client {name} sees {expected} active silos", () => $"{node.Membership.CurrentSnapshot.ActiveSilos.Count} active").ConfigureAwait(false);
        return node;
    }

    /// <summary>Graceful stop, as SIGTERM: the silo hands its grains off and leaves membership.</summary>
    public async Task StopSiloAsync(TestClusterNode silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        _silos.Remove(silo);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await silo.Host.StopAsync(cts.Token).ConfigureAwait(false);
        silo.Host.Dispose();
    }

    /// <summary>Abrupt loss, as SIGKILL: sockets close, nothing is written to membership or storage, no grain is told.</summary>
    public async Task KillSiloAsync(TestClusterNode silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        _silos.Remove(silo);
        // Disposing the container without StopAsync: the connection manager closes its sockets and the membership agent
        // stops its timers, and no hosted service gets to deactivate, checkpoint or leave.
        await ((IAsyncDisposable)silo.Host.Services).DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Waits until every live silo sees exactly the live silos as Active and nobody else as Active.</summary>
    public Task WaitForLivenessToStabilizeAsync(TimeSpan? timeout = null)
    {
        var expected = _silos.Select(s => s.Address!).OrderBy(a => a.ToString(), StringComparer.Ordinal).ToList();
        return TestWait.UntilAsync(
            () => _silos.All(s => s.Membership.CurrentSnapshot.ActiveSilos.SequenceEqual(expected)),
            $"every silo sees [{string.Join(", ", expected)}] as the Active set",
            () => string.Join("; ", _silos.Select(s => $"{s.Name}: [{string.Join(", ", s.Membership.CurrentSnapshot.ActiveSilos)}]")),
            timeout ?? TimeSpan.FromSeconds(20));
    }

    /// <summary>Live activations of <paramref name="grainId"/> across live silos (the single-activation check).</summary>
    public int CountActivations(GrainId grainId) => _silos.Count(s => s.Catalog!.TryGetActivation(grainId, out _));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var node in _clients.Concat(_silos).Reverse().ToList())
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await node.Host.StopAsync(cts.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Tear-down: one node failing to stop must not keep the others running.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            node.Host.Dispose();
        }
    }

    private void ConfigureShared(HostApplicationBuilder builder)
    {
        if (_output is not null)
        {
            builder.Logging.AddProvider(new XunitLoggerProvider(_output, LogLevel.Information));
        }

        builder.Services.AddSingleton<IMembershipTable>(Table);
        builder.Services.AddSingleton<IGrainDirectory>(Directory);
        builder.Services.AddSingleton<IGrainStorage>(Storage);
    }
}

/// <summary>One silo or client of an <see cref="InProcessTestCluster"/>.</summary>
public sealed class TestClusterNode
{
    internal TestClusterNode(string name, IHost host)
    {
        Name = name;
        Host = host;
    }

    /// <summary>Name (silo1, client1, ...).</summary>
    public string Name { get; }

    /// <summary>The node's host.</summary>
    public IHost Host { get; }

    /// <summary>The node's grain factory.</summary>
    public IGrainFactory GrainFactory => Host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's address (null for clients).</summary>
    public SiloAddress? Address => Host.Services.GetRequiredService<SiloIdentity>().Address;

    /// <summary>The node's membership view.</summary>
    public IClusterMembershipService Membership => Host.Services.GetRequiredService<IClusterMembershipService>();

    internal GrainCatalog? Catalog => Host.Services.GetService<GrainCatalog>();

    internal ConnectionManager Connections => Host.Services.GetRequiredService<ConnectionManager>();
}
