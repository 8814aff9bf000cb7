using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.Configuration;

/// <summary>Logs the effective gateway options once at start-up (never the auth token), after ValidateOnStart passed.</summary>
internal sealed class GatewayStartupLogger(IOptions<GatewayOptions> options, GatewayIdentity identity, ILogger<GatewayStartupLogger> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var signatures = !string.IsNullOrEmpty(o.TwilioAuthToken);
        ConfigurationLog.GatewayOptionsEffective(logger, identity.NodeId, o.PublicUrl ?? "(request Host)", signatures, o.MaxMessageBytes,
            o.MaxBufferedBeforeStart, o.KeepAliveInterval, o.KeepAliveTimeout, o.HealthReportPeriod);
        ConfigurationLog.GatewayInputLimitsEffective(logger, identity.NodeId,
            o.AllowedOrigins.Count == 0 ? "(none: browser origins refused)" : string.Join(", ", o.AllowedOrigins),
            o.MaxMalformedMessages, o.MaxMediaPayloadBytes, o.OutboundQueueCapacity, o.SendStallTimeout);
        if (!signatures)
        {
            SecurityLog.SignatureValidationDisabled(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
