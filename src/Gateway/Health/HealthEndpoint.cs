using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.Edge;
using Switchboard.Gateway.Hosting;
using Switchboard.Grains;

namespace Switchboard.Gateway.Health;

/// <summary>
/// <c>GET /health</c>: the cluster's health from the health grain, as
/// <c>{"status","uptime","connections","latency"(p99 ms),"latencyP50","reasons","nodes"}</c>. 200 for healthy and
/// degraded, 503 for unhealthy, and 503 with a reason when the grain cannot be reached (a load balancer must not send
/// calls to a gateway that cannot reach its cluster). <c>ready</c> is false (and the status code 503) while the gateway
/// drains, while the cluster is unhealthy, and while it holds <c>Gateway:MaxConnections</c> connections (<c>atCapacity</c>).
/// </summary>
internal sealed class HealthEndpoint(
    IOptions<GatewayOptions> options,
    GatewayDrainState drain,
    ConnectionLimiter connections,
    TimeProvider timeProvider,
    ILogger<HealthEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        HealthSnapshot snapshot;
        try
        {
            var grain = context.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IHealthGrain>(IHealthGrain.Key);
            snapshot = await grain.GetHealth().WaitAsync(options.Value.GrainCallTimeout, timeProvider, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            HealthLog.HealthQueryFailed(logger, ex);
            snapshot = new HealthSnapshot(HealthStatus.Unhealthy, 0, 0, 0, 0, ["health grain unreachable: " + ex.GetType().Name], [], []);
        }

        var atCapacity = connections.AtCapacity;
        var ready = !drain.IsDraining && !atCapacity && snapshot.Status != HealthStatus.Unhealthy;
        context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        Write(writer, snapshot, ready, drain.IsDraining, new CapacityReading(connections.Held, connections.Max));
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    internal static void Write(Utf8JsonWriter writer, HealthSnapshot snapshot, bool ready = true, bool draining = false, CapacityReading? capacity = null)
    {
        writer.WriteStartObject();
        writer.WriteString("status"u8, snapshot.Status switch
        {
            HealthStatus.Healthy => "healthy",
            HealthStatus.Degraded => "degraded",
            _ => "unhealthy",
        });
        writer.WriteNumber("uptime"u8, Math.Round(snapshot.UptimeSeconds, 3));
        writer.WriteNumber("connections"u8, snapshot.Connections);
        writer.WriteNumber("latency"u8, Math.Round(snapshot.LatencyP99Ms, 3));
        writer.WriteNumber("latencyP50"u8, Math.Round(snapshot.LatencyP50Ms, 3));
        writer.WriteStartArray("reasons"u8);
        foreach (var reason in snapshot.Reasons)
        {
            writer.WriteStringValue(reason);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("nodes"u8);
        foreach (var node in snapshot.Nodes)
        {
            writer.WriteStartObject();
            writer.WriteString("nodeId"u8, node.NodeId);
            writer.WriteString("role"u8, node.Role == NodeRole.Gateway ? "gateway" : "silo");
            writer.WriteNumber("connections"u8, node.Connections);
            writer.WriteString("lastReportAt"u8, node.LastReportAt);
            writer.WriteBoolean("silent"u8, node.Silent);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteBoolean("ready"u8, ready);
        writer.WriteBoolean("draining"u8, draining);
        if (capacity is { } held)
        {
            writer.WriteBoolean("atCapacity"u8, held.Held >= held.Max);
            writer.WriteNumber("gatewayConnections"u8, held.Held);
            writer.WriteNumber("maxConnections"u8, held.Max);
        }

        if (snapshot.Silos.Count > 0)
        {
            // The membership view of the silo the health grain lives on (a client has no membership view of its own).
            writer.WriteStartObject("membership"u8);
            writer.WriteNumber("version"u8, snapshot.MembershipVersion);
            writer.WriteStartArray("silos"u8);
            foreach (var silo in snapshot.Silos)
            {
                writer.WriteStartObject();
                writer.WriteString("address"u8, silo.Address);
                writer.WriteString("name"u8, silo.Name);
                writer.WriteString("status"u8, silo.Status);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
