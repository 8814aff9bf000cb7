using System.Net;
using System.Text.Json;

namespace Switchboard.Cluster.Tests.Harness;

/// <summary>One answer of a gateway's <c>GET /health</c> (or why there was none).</summary>
/// <param name="StatusCode">HTTP status; null when the request failed (see <paramref name="Error"/>).</param>
/// <param name="Status">The body's <c>status</c> (healthy, degraded, unhealthy, draining...); null without a JSON body.</param>
/// <param name="Connections">The body's <c>connections</c>, or -1.</param>
/// <param name="SiloNodes">Silo reporters in <c>nodes</c> that are not silent.</param>
/// <param name="Draining">The body's <c>draining</c> flag (the gateway is shutting down gracefully).</param>
/// <param name="Reasons">The body's <c>reasons</c> (why the status is not healthy).</param>
/// <param name="Body">The raw body (for failure messages).</param>
/// <param name="Error">Why the request failed, if it did.</param>
internal sealed record HealthReading(HttpStatusCode? StatusCode, string? Status, int Connections, int SiloNodes, bool Draining, IReadOnlyList<string> Reasons, string Body, string? Error)
{
    /// <summary>Silos the answering gateway's own membership view (<c>membership.silos</c>) shows Active: the silos its
    /// placement may choose.</summary>
    public int ActiveMembers { get; init; }

    /// <summary>200 with status healthy.</summary>
    public bool IsHealthy => StatusCode == HttpStatusCode.OK && Status == "healthy";

    /// <summary>Parses a response body.</summary>
    public static HealthReading Parse(HttpStatusCode statusCode, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string? status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            int connections = root.TryGetProperty("connections", out var c) && c.TryGetInt32(out var n) ? n : -1;
            int silos = 0;
            if (root.TryGetProperty("nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array)
            {
                foreach (var node in nodes.EnumerateArray())
                {
                    bool isSilo = node.TryGetProperty("role", out var role) && role.GetString() == "silo";
                    bool silent = node.TryGetProperty("silent", out var quiet) && quiet.ValueKind == JsonValueKind.True;
                    silos += isSilo && !silent ? 1 : 0;
                }
            }

            bool draining = root.TryGetProperty("draining", out var d) && d.ValueKind == JsonValueKind.True;
            var reasons = new List<string>();
            if (root.TryGetProperty("reasons", out var r) && r.ValueKind == JsonValueKind.Array)
            {
                reasons.AddRange(r.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!));
            }

            int active = 0;
            if (root.TryGetProperty("membership", out var membership) && membership.TryGetProperty("silos", out var members)
                && members.ValueKind == JsonValueKind.Array)
            {
                active = members.EnumerateArray().Count(m => m.TryGetProperty("status", out var st) && st.GetString() == "Active");
            }

            return new HealthReading(statusCode, status, connections, silos, draining, reasons, body, null) { ActiveMembers = active };
        }
        catch (JsonException)
        {
            return new HealthReading(statusCode, null, -1, 0, false, [], body, null);
        }
    }

    /// <summary>One short line without the body (for figure summaries).</summary>
    public string Brief => Error is not null
        ? $"no answer ({Error})"
        : $"HTTP {(int?)StatusCode} status={Status ?? "?"} connections={Connections} draining={Draining} reasons=[{string.Join("; ", Reasons)}]";

    /// <inheritdoc />
    public override string ToString() => Error is not null
        ? $"no answer ({Error})"
        : $"HTTP {(int?)StatusCode} status={Status ?? "?"} connections={Connections} silos={SiloNodes} draining={Draining} body={Truncate(Body)}";

    private static string Truncate(string text) => text.Length <= 400 ? text : text[..400] + "...";
}
