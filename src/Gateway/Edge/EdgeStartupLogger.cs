using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Gateway.Edge;

/// <summary>Logs the effective edge options once at start-up (never the certificate password).</summary>
internal sealed class EdgeStartupLogger(IOptions<EdgeOptions> options, ILogger<EdgeStartupLogger> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        EdgeLog.EdgeOptionsEffective(logger, o.Tls.Enabled, o.MaxConnections, o.UpgradeRateLimit.PerAddressPerSecond, o.UpgradeRateLimit.Burst,
            o.Http.RequestHeadersTimeout, string.Join(", ", KnownProxyList.Entries(o.KnownProxies)));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
