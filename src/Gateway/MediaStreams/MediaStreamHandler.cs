using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.Security;


namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// <c>GET /twilio/media-stream</c>. Order matters: a plain HTTP request gets 400; while draining, 503; an <c>Origin</c>
/// outside <see cref="GatewayOptions.AllowedOrigins"/> gets 403, and so does a request failing the Twilio signature
/// check (both logged as AUTH_FAILURE), before any upgrade and before any grain is touched; only then is the socket
/// accepted with keep-alive PINGs that must be answered (they feed the round-trip measurement and detect a peer that
/// vanished). Every refusal is counted in <c>switchboard.gateway.upgrades.rejected</c>.
/// </summary>
internal sealed class MediaStreamHandler(
    IOptions<GatewayOptions> options,
    TwilioRequestAuthenticator authenticator,
    StreamTickets tickets,
    OriginPolicy origins,
    MediaStreamTracker tracker,
    MediaStreamInstruments instruments,
    GatewayIdentity identity,
    GatewayDrainState drain,
    TimeProvider timeProvider,
    ILogger<MediaStreamHandler> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            instruments.UpgradeRejected(MediaStreamInstruments.NotWebSocket);
            MediaStreamLog.UpgradeRequired(logger, context.Connection.Id, context.Connection.RemoteIpAddress?.ToString());
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("WebSocket upgrade required.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (drain.IsDraining)
        {
            DrainLog.StreamRefusedDraining(logger, context.Connection.RemoteIpAddress?.ToString());
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            return;
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (!origins.IsAllowed(origin))
        {
            instruments.UpgradeRejected(MediaStreamInstruments.Origin);
            SecurityLog.OriginRejected(logger, context.Connection.Id, context.Connection.RemoteIpAddress?.ToString(), origin);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (!authenticator.AuthenticateUpgrade(context))
        {
            instruments.UpgradeRejected(MediaStreamInstruments.Signature);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        // Resolved per request: in embedded mode the runtime may register its factory after the gateway.
        var grains = new ConnectionGrainResolver(
            context.RequestServices.GetRequiredService<IGrainFactory>(), keyOf: null, context.RequestServices.GetService<GatewayConnectionWatch>());
        var settings = options.Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = settings.KeepAliveInterval,
            KeepAliveTimeout = settings.KeepAliveTimeout,
        }).ConfigureAwait(false);

        var session = new MediaStreamSession(
            socket,
            grains,
            settings,
            tracker,
            identity.NodeId,
            context.Connection.RemoteIpAddress?.ToString(),
            timeProvider,
            instruments,
            logger,
            settings.RequireStreamTicket ? tickets : null);
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
}
