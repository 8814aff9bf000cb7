using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// Watches Kestrel connections for clients that hold a connection without ever completing a request: a slow-loris
/// client trickling its headers (Kestrel answers 408 and closes once <see cref="HttpLimitsOptions.RequestHeadersTimeout"/>
/// passes), a stalled TLS handshake, or a socket that sends nothing until the keep-alive timeout. Kestrel enforces the
/// limits; this connection middleware only makes each such drop visible (<c>IncompleteRequestDropped</c> with the
/// remote address, and <c>switchboard.gateway.connections.dropped{reason=incomplete_request}</c>).
///
/// How: the connection carries a small state object in its items; the first HTTP middleware
/// (<see cref="UpgradeAdmissionMiddleware"/>) marks it when a request reaches the application. A connection that ends
/// unmarked after at least the headers timeout is reported; one that ends sooner is a client that gave up (or a request
/// Kestrel refused outright, e.g. 431), which is not this monitor's business. A client that completes one request and
/// then trickles the next on the same connection is still dropped by Kestrel, but not reported here.
/// </summary>
internal sealed class IncompleteRequestMonitor(
    IOptions<EdgeOptions> options,
    EdgeInstruments instruments,
    TimeProvider timeProvider,
    ILogger<IncompleteRequestMonitor> logger)
{
    private static readonly object StateKey = new();
    private readonly TimeSpan _headersTimeout = options.Value.Http.RequestHeadersTimeout;

    /// <summary>The Kestrel connection middleware (<c>ListenOptions.Use</c>).</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var state = new ConnectionState();
        connection.Items[StateKey] = state;
        var started = timeProvider.GetTimestamp();
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            var elapsed = timeProvider.GetElapsedTime(started);
            if (!state.RequestSeen && elapsed >= _headersTimeout)
            {
                var remote = (connection.RemoteEndPoint as System.Net.IPEndPoint)?.Address.ToString();
                EdgeLog.IncompleteRequestDropped(logger, connection.ConnectionId, remote, elapsed.TotalMilliseconds, _headersTimeout);
                instruments.ConnectionDropped(EdgeInstruments.Reasons.IncompleteRequest);
            }
        }
    };

    /// <summary>Marks the request's connection as having completed a request.</summary>
    public static void MarkRequest(HttpContext context)
    {
        if (context.Features.Get<IConnectionItemsFeature>()?.Items is { } items
            && items.TryGetValue(StateKey, out var value)
            && value is ConnectionState state)
        {
            state.RequestSeen = true;
        }
    }

    private sealed class ConnectionState
    {
        public volatile bool RequestSeen;
    }
}
