using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Gateway.AppStreams;
using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.MediaStreams;

/// <summary>
/// Runs before <c>UseWebSockets</c> (which captures the upgrade feature when the request passes through it) and,
/// on the stream paths only (Twilio's media stream and the application stream), swaps in <see cref="PingTimingUpgradeFeature"/> plus a
/// <see cref="PingRoundTripMonitor"/> the session subscribes to. It does not upgrade anything itself, so the
/// signature check in the endpoint still runs before any upgrade.
/// </summary>
internal sealed class PingTimingMiddleware(RequestDelegate next, TimeProvider timeProvider)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if ((IsPath(path, PublicUrlResolver.MediaStreamPath) || IsPath(path, AppStreamHandler.Path))
            && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            var monitor = new PingRoundTripMonitor();
            context.Features.Set(monitor);
            context.Features.Set<IHttpUpgradeFeature>(new PingTimingUpgradeFeature(upgrade, monitor, timeProvider));
        }

        return next(context);
    }

    private static bool IsPath(PathString path, string expected) =>
        path.StartsWithSegments(expected, StringComparison.OrdinalIgnoreCase, out var rest) && (!rest.HasValue || rest.Value == "/");
}
