using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.AppStreams;
using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// Admission of WebSocket upgrades on the stream paths (<c>/twilio/media-stream</c>, <c>/app/stream</c>), before the
/// endpoint authenticates and upgrades. Cheapest checks first, each answered before any upgrade or grain call:
/// (1) Production and not TLS as the client saw it → 403; (2) the client address over its upgrade rate → 429 with
/// <c>Retry-After</c>; (3) the gateway full → 503 with <c>Retry-After</c>. An admitted upgrade holds a connection slot
/// until its request (the whole WebSocket session) ends. Every request also marks its connection as having completed
/// one, for <see cref="IncompleteRequestMonitor"/>. Runs after <c>UseWebSockets</c> (to recognise upgrades) and after
/// the forwarded-headers step (client address and scheme behind a known proxy).
/// </summary>
internal sealed class UpgradeAdmissionMiddleware(
    RequestDelegate next,
    UpgradeRateLimiter rateLimiter,
    ConnectionLimiter connections,
    EdgeInstruments instruments,
    IOptions<EdgeOptions> options,
    IHostEnvironment environment,
    ILogger<UpgradeAdmissionMiddleware> logger)
{
    /// <summary><c>Retry-After</c> (seconds) of a 503 when the gateway is full.</summary>
    public const int OverCapacityRetryAfterSeconds = 5;

    private readonly bool _requireTls = environment.IsProduction();
    private readonly UpgradeRateLimitOptions _rate = options.Value.UpgradeRateLimit;

    public async Task InvokeAsync(HttpContext context)
    {
        IncompleteRequestMonitor.MarkRequest(context);
        if (!context.WebSockets.IsWebSocketRequest || !IsStreamPath(context.Request.Path))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var remote = context.Connection.RemoteIpAddress;
        if (_requireTls && !context.Request.IsHttps)
        {
            EdgeLog.InsecureUpgradeRefused(logger, remote?.ToString(), context.Request.Path);
            instruments.UpgradeRejected(EdgeInstruments.Reasons.InsecureTransport);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var decision = rateLimiter.TryAcquire(remote);
        if (!decision.Allowed)
        {
            if (decision.FirstRefusal)
            {
                EdgeLog.UpgradeRateLimited(logger, remote?.ToString(), _rate.PerAddressPerSecond, _rate.Burst);
            }

            instruments.UpgradeRejected(EdgeInstruments.Reasons.RateLimited);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return;
        }

        if (!connections.TryAcquire())
        {
            EdgeLog.UpgradeOverCapacity(logger, remote?.ToString(), connections.Held, connections.Max);
            instruments.UpgradeRejected(EdgeInstruments.Reasons.OverCapacity);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = OverCapacityRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            connections.Release();
        }
    }

    internal static bool IsStreamPath(PathString path) =>
        IsPath(path, PublicUrlResolver.MediaStreamPath) || IsPath(path, AppStreamHandler.Path);

    private static bool IsPath(PathString path, string expected) =>
        path.StartsWithSegments(expected, StringComparison.OrdinalIgnoreCase, out var rest) && (!rest.HasValue || rest.Value == "/");
}
