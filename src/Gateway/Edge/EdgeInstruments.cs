using System.Diagnostics.Metrics;
using Switchboard.Gateway.MediaStreams;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// Metrics of the gateway's edge (meter <c>Switchboard.Gateway.Edge</c>): what was dropped by a limit after an upgrade,
/// and how many connections are held against <see cref="EdgeOptions.MaxConnections"/>. Refusals before an upgrade are
/// counted in the one <c>switchboard.gateway.upgrades.rejected</c> counter of meter <c>Switchboard.Gateway</c>
/// (<see cref="MediaStreamInstruments"/>), with the media-stream path's own reasons, so a dashboard sums one series.
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

    private readonly MediaStreamInstruments _streams;
    private readonly Counter<long> _connectionsDropped;

    public EdgeInstruments(IMeterFactory meterFactory, ConnectionLimiter connections, MediaStreamInstruments streams)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(streams);
        _streams = streams;
        var meter = meterFactory.Create(MeterName);
        _connectionsDropped = meter.CreateCounter<long>("switchboard.gateway.connections.dropped",
            description: "Connections the gateway ended because of an edge limit, by reason (incomplete_request: no complete request within the headers timeout; token_expired: close 4401).");
        meter.CreateObservableUpDownCounter("switchboard.gateway.connections.held", () => (long)connections.Held,
            description: "WebSocket connections held against Gateway:MaxConnections.");
    }

    /// <summary>Counts a refusal before the upgrade (rate_limited 429, over_capacity 503, insecure_transport 403, unauthorized 401).</summary>
    public void UpgradeRejected(string reason) => _streams.UpgradeRejected(reason);

    public void ConnectionDropped(string reason) => _connectionsDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
