using System.Diagnostics.Metrics;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// Metrics of the gateway's edge (meter <c>Switchboard.Gateway.Edge</c>): what was refused before an upgrade, what was
/// dropped by a limit afterwards, and how many connections are held against <see cref="EdgeOptions.MaxConnections"/>.
/// </summary>
internal sealed class EdgeInstruments
{
    public const string MeterName = "Switchboard.Gateway.Edge";

    /// <summary><c>reason</c> tag values of <see cref="UpgradeRejected"/> and <see cref="ConnectionDropped"/>.</summary>
    public static class Reasons
    {
        public const string RateLimited = "rate_limited";
        public const string OverCapacity = "over_capacity";
        public const string InsecureTransport = "insecure_transport";
        public const string Unauthorized = "unauthorized";
        public const string IncompleteRequest = "incomplete_request";
        public const string TokenExpired = "token_expired";
    }

    private readonly Counter<long> _upgradesRejected;
    private readonly Counter<long> _connectionsDropped;

    public EdgeInstruments(IMeterFactory meterFactory, ConnectionLimiter connections)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(connections);
        var meter = meterFactory.Create(MeterName);
        _upgradesRejected = meter.CreateCounter<long>("switchboard.gateway.upgrades.rejected",
            description: "WebSocket upgrades refused before the upgrade, by reason (rate_limited 429, over_capacity 503, insecure_transport 403, unauthorized 401).");
        _connectionsDropped = meter.CreateCounter<long>("switchboard.gateway.connections.dropped",
            description: "Connections the gateway ended because of an edge limit, by reason (incomplete_request: no complete request within the headers timeout; token_expired: close 4401).");
        meter.CreateObservableUpDownCounter("switchboard.gateway.connections.held", () => (long)connections.Held,
            description: "WebSocket connections held against Gateway:MaxConnections.");
    }

    public void UpgradeRejected(string reason) => _upgradesRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ConnectionDropped(string reason) => _connectionsDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
