using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.Edge;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.AppStreams;

/// <summary>
/// <c>GET /app/stream</c>: the WebSocket route for application clients that are not Twilio (a browser softphone, a test
/// harness, a back-office tool). They speak the same JSON messages as Twilio Media Streams, so the same session code
/// serves them, but they prove who they are with a JWT (<see cref="AppAuthOptions"/>) instead of Twilio's signature.
///
/// Order: 404 when application authentication is not configured; 400 for plain HTTP; 503 while draining; 401 with
/// <c>WWW-Authenticate: Bearer</c> for a missing or invalid token (logged as AUTH_FAILURE, counted as
/// <c>unauthorized</c>), before any upgrade or grain call. The token comes from <c>Authorization: Bearer …</c> or, for
/// browsers (which cannot set headers on a WebSocket), the <c>access_token</c> query parameter. When the token's
/// <c>exp</c> (plus the clock skew) passes during the call, the socket is closed with <see cref="TokenExpiredCloseStatus"/>;
/// the client reconnects with a fresh token, which is validated like any other. Connection grains of application
/// streams are keyed <c>app:{sub}:{streamSid}</c> (<see cref="AppGrainKeys"/>).
/// </summary>
internal sealed class AppStreamHandler(
    IOptions<GatewayOptions> options,
    AppTokenValidator tokens,
    MediaStreamTracker tracker,
    GatewayIdentity identity,
    GatewayDrainState drain,
    EdgeInstruments instruments,
    MediaStreamInstruments streamInstruments,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory)
{
    /// <summary>Path of the application stream route.</summary>
    public const string Path = "/app/stream";

    /// <summary>Close status (application range 4000–4999) for AUTH_FAILURE: the token expired during the connection.</summary>
    public const int TokenExpiredCloseStatus = 4401;

    /// <summary>Query parameter carrying the token for browsers.</summary>
    public const string AccessTokenParameter = "access_token";

    private readonly ILogger _logger = loggerFactory.CreateLogger<AppStreamHandler>();

    // The session's events are WebSocket events like a Twilio stream's (component "websocket" in the logs).
    private readonly ILogger _sessionLogger = loggerFactory.CreateLogger("Switchboard.Gateway.MediaStreams.AppStreamSession");

    public async Task HandleAsync(HttpContext context)
    {
        if (!tokens.Enabled)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("WebSocket upgrade required.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var remote = context.Connection.RemoteIpAddress?.ToString();
        if (drain.IsDraining)
        {
            AppStreamLog.RefusedDraining(_logger, remote);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            return;
        }

        var token = TokenOf(context.Request, out var fromHeader);
        var result = await tokens.ValidateAsync(token).ConfigureAwait(false);
        if (!result.IsValid)
        {
            SecurityLog.AuthFailure(_logger, "app-stream", context.Connection.Id, remote, result.Failure ?? "invalid token");
            instruments.UpgradeRejected(EdgeInstruments.Reasons.Unauthorized);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            // RFC 6750 §3: no error code when no credentials were sent at all.
            context.Response.Headers.WWWAuthenticate = token is null && !fromHeader ? "Bearer" : "Bearer error=\"invalid_token\"";
            return;
        }

        AppStreamLog.Authenticated(_logger, remote, result.Subject, result.ValidUntil);
        var grains = new ConnectionGrainResolver(context.RequestServices.GetRequiredService<IGrainFactory>(), streamSid => AppGrainKeys.KeyOf(result.Subject, streamSid),
            context.RequestServices.GetService<GatewayConnectionWatch>());
        var settings = options.Value;
        using var accepted = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = settings.KeepAliveInterval,
            KeepAliveTimeout = settings.KeepAliveTimeout,
        }).ConfigureAwait(false);

        MediaStreamSession? session = null;
        using var socket = new ExpiringWebSocket(accepted, result.ValidUntil, settings.CloseHandshakeTimeout, timeProvider, () =>
        {
            AppStreamLog.TokenExpired(_logger, session?.ConnectionId ?? "app", remote, result.Subject, result.ValidUntil, TokenExpiredCloseStatus);
            instruments.ConnectionDropped(EdgeInstruments.Reasons.TokenExpired);
        });
        session = new MediaStreamSession(socket, grains, settings, tracker, identity.NodeId, remote, timeProvider, streamInstruments, _sessionLogger);
        var monitor = context.Features.Get<PingRoundTripMonitor>();
        monitor?.Subscribe(session.OnRoundTrip);
        try
        {
            await session.RunAsync(context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            monitor?.Unsubscribe();
        }
    }

    /// <summary>The bearer token from the Authorization header, else the access_token query parameter.</summary>
    internal static string? TokenOf(HttpRequest request, out bool fromHeader)
    {
        var authorization = request.Headers[HeaderNames.Authorization].ToString();
        fromHeader = authorization.Length > 0;
        if (fromHeader)
        {
            const string Scheme = "Bearer ";
            return authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? authorization[Scheme.Length..].Trim() : null;
        }

        var query = request.Query[AccessTokenParameter].ToString();
        return query.Length > 0 ? query : null;
    }
}
