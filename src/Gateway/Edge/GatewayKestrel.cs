using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// Kestrel set-up shared by every host of the gateway (embedded silo, gateway-only process, tests), so the limits that
/// protect the edge are the same wherever it runs: <c>Gateway:Http</c> limits, TLS from <c>Gateway:Tls</c>, and the
/// connection middleware that reports incomplete requests. Requires <see cref="GatewayHostingExtensions.AddSwitchboardGateway"/>.
/// </summary>
public static class GatewayKestrel
{
    /// <summary>Applies the edge limits and listens on <paramref name="address"/>:<paramref name="port"/>, with HTTPS
    /// (so <c>wss://</c>) when <c>Gateway:Tls:CertificatePath</c> is set.</summary>
    public static void ListenGateway(this KestrelServerOptions kestrel, IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var services = kestrel.ApplicationServices;
        EdgeOptions edge;
        try
        {
            edge = services.GetRequiredService<IOptions<EdgeOptions>>().Value;
        }
        catch (OptionsValidationException)
        {
            // Kestrel's options are built before the host's start-up validation runs. That validation reports this
            // failure together with every other invalid section and stops the host before anything listens, so
            // configure nothing here rather than report half of the problems.
            return;
        }

        ApplyLimits(kestrel.Limits, edge.Http);
        var monitor = services.GetRequiredService<IncompleteRequestMonitor>();
        kestrel.Listen(address, port, listen =>
        {
            // Outside TLS: a stalled handshake is an incomplete request too.
            listen.Use(monitor.Wrap);
            if (edge.Tls.Enabled)
            {
                listen.UseHttps(GatewayCertificate.Load(edge.Tls));
            }
        });
    }

    internal static void ApplyLimits(KestrelServerLimits limits, HttpLimitsOptions http)
    {
        limits.RequestHeadersTimeout = http.RequestHeadersTimeout;
        limits.KeepAliveTimeout = http.KeepAliveTimeout;
        limits.MaxRequestHeadersTotalSize = http.MaxRequestHeadersTotalSize;
        limits.MaxRequestHeaderCount = http.MaxRequestHeaderCount;
        limits.MaxRequestLineSize = http.MaxRequestLineSize;
        limits.MaxRequestBodySize = http.MaxRequestBodySize;
        limits.MinRequestBodyDataRate = http.MinRequestBodyDataRate > 0
            ? new MinDataRate(http.MinRequestBodyDataRate, http.MinRequestBodyDataRateGracePeriod)
            : null;
    }
}
