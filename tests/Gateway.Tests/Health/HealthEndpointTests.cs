using System.Net;
using System.Text.Json;
using Switchboard.Gateway.Tests.TestDoubles;
using Switchboard.Grains;

namespace Switchboard.Gateway.Tests.Health;

public class HealthEndpointTests
{
    [Fact]
    public async Task Get_GrainFails_Returns503WithReason()
    {
        await using var host = await GatewayTestHost.StartAsync();
        host.Grains.Health.Failure = new InvalidOperationException("silo gone");
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unhealthy", doc.RootElement.GetProperty("status").GetString());
        Assert.Contains("unreachable", doc.RootElement.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Unhealthy_Returns503()
    {
        await using var host = await GatewayTestHost.StartAsync();
        host.Grains.Health.Snapshot = new HealthSnapshot(HealthStatus.Unhealthy, 1, 0, 0, 0, ["no silo"], [], []);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("no silo", doc.RootElement.GetProperty("reasons")[0].GetString());
    }

    [Theory]
    [InlineData(HealthStatus.Healthy, "healthy")]
    [InlineData(HealthStatus.Degraded, "degraded")]
    public async Task Get_HealthyOrDegraded_Returns200WithSnapshot(HealthStatus status, string expected)
    {
        await using var host = await GatewayTestHost.StartAsync();
        var reportedAt = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        host.Grains.Health.Snapshot = new HealthSnapshot(status, 42.5, 7, 12.25, 230.5, ["latency over 200 ms"],
            [new NodeHealth("gateway-a", NodeRole.Gateway, 7, reportedAt, false)], []);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        Assert.Equal(expected, root.GetProperty("status").GetString());
        Assert.Equal(42.5, root.GetProperty("uptime").GetDouble());
        Assert.Equal(7, root.GetProperty("connections").GetInt32());
        Assert.Equal(230.5, root.GetProperty("latency").GetDouble());
        Assert.Equal(12.25, root.GetProperty("latencyP50").GetDouble());
        Assert.Equal("latency over 200 ms", root.GetProperty("reasons")[0].GetString());
        var node = root.GetProperty("nodes")[0];
        Assert.Equal("gateway-a", node.GetProperty("nodeId").GetString());
        Assert.Equal("gateway", node.GetProperty("role").GetString());
        Assert.Equal(reportedAt, node.GetProperty("lastReportAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Get_SnapshotWithoutSilos_NoMembership()
    {
        await using var host = await GatewayTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(doc.RootElement.TryGetProperty("membership", out _));
    }

    [Fact]
    public async Task Get_SnapshotWithSilos_WritesTheMembershipView()
    {
        await using var host = await GatewayTestHost.StartAsync();
        host.Grains.Health.Snapshot = new HealthSnapshot(HealthStatus.Degraded, 1, 0, 0, 0, ["silo S10.0.0.6:11111:2 is ShuttingDown"], [], [])
        {
            Silos = [new SiloMembership("S10.0.0.5:11111:1", "silo-a", "Active"), new SiloMembership("S10.0.0.6:11111:2", "silo-b", "ShuttingDown")],
            MembershipVersion = 9,
        };
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var membership = doc.RootElement.GetProperty("membership");
        Assert.Equal(9, membership.GetProperty("version").GetInt64());
        Assert.Equal(
            [("S10.0.0.5:11111:1", "silo-a", "Active"), ("S10.0.0.6:11111:2", "silo-b", "ShuttingDown")],
            membership.GetProperty("silos").EnumerateArray().Select(s => (s.GetProperty("address").GetString(), s.GetProperty("name").GetString(), s.GetProperty("status").GetString())));
    }
}
