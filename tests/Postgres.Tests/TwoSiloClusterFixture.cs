using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;

namespace Switchboard.Postgres.Tests;

/// <summary>
/// Two silos and a client on one fresh database and a fresh ClusterId, shared by <see cref="PostgresClusterTests"/>
/// (starting a cluster costs about a second; the tests use distinct grain keys so they do not interfere).
/// </summary>
public sealed class TwoSiloClusterFixture : IAsyncLifetime
{
    private IHost? _first;
    private IHost? _second;
    private IHost? _client;

    public string ConnectionString { get; private set; } = "";

    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}"[..20];

    public IHost First => _first ?? throw new InvalidOperationException("The cluster has not started.");

    public IHost Second => _second ?? throw new InvalidOperationException("The cluster has not started.");

    public IClusterClient Client => (_client ?? throw new InvalidOperationException("The cluster has not started."))
        .Services.GetRequiredService<IClusterClient>();

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateAsync("cluster");
        // Both silos start together: their schema steps race, as two processes' would.
        var first = ClusterHost.BuildSilo(ConnectionString, ClusterId, null, "silo-1");
        var second = ClusterHost.BuildSilo(ConnectionString, ClusterId, null, "silo-2");
        _first = first;
        _second = second;
        await Task.WhenAll(
            ClusterHost.StartAsync(first, $"start of silo-1 in {ClusterId}"),
            ClusterHost.StartAsync(second, $"start of silo-2 in {ClusterId}"));
        _client = ClusterHost.BuildClient(ConnectionString, ClusterId, null);
        await ClusterHost.StartAsync(_client, $"start of the client of {ClusterId}");
    }

    public async Task DisposeAsync()
    {
        foreach (var host in new[] { _client, _second, _first })
        {
            if (host is not null)
            {
                await ClusterHost.StopAsync(host, "stop at the end of PostgresClusterTests");
                host.Dispose();
            }
        }
    }
}
