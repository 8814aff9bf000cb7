using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.Configuration;

/// <summary>
/// Validates <see cref="GatewayOptions"/> at start-up. In Production a missing Twilio setting fails the boot with a
/// message naming every missing environment variable, so an operator fixes them all in one go.
/// </summary>
internal sealed class GatewayOptionsValidator(IHostEnvironment environment) : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        if (environment.IsProduction())
        {
            var missing = new List<string>();
            if (string.IsNullOrWhiteSpace(options.TwilioAccountSid))
            {
                missing.Add(GatewayOptions.TwilioAccountSidVariable);
            }

            if (string.IsNullOrWhiteSpace(options.TwilioAuthToken))
            {
                missing.Add(GatewayOptions.TwilioAuthTokenVariable);
            }

            if (string.IsNullOrWhiteSpace(options.PublicUrl))
            {
                missing.Add(GatewayOptions.PublicUrlVariable);
            }

            if (missing.Count > 0)
            {
                failures.Add($"Missing required environment variable(s) for Production: {string.Join(", ", missing)}.");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.PublicUrl)
            && (!Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"{GatewayOptions.PublicUrlVariable} (Gateway:PublicUrl) must be an absolute http(s) URL; got '{options.PublicUrl}'.");
        }

        // 0 asks the OS for a free port (tests bind 127.0.0.1:0); anything else must be a real TCP port.
        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Gateway:Port must be in 0..65535 (0 = any free port); got {options.Port}.");
        }
        AddIfNotPositive(failures, "Gateway:MaxMessageBytes", options.MaxMessageBytes, 16 * 1024 * 1024);
        AddIfNotPositive(failures, "Gateway:OutboundQueueCapacity", options.OutboundQueueCapacity, 1_000_000);
        if (options.MaxBufferedBeforeStart < 0)
        {
            failures.Add($"Gateway:MaxBufferedBeforeStart must be >= 0; got {options.MaxBufferedBeforeStart}.");
        }

        AddIfNotPositive(failures, "Gateway:MaxMalformedMessages", options.MaxMalformedMessages, 1_000_000);
        AddIfNotPositive(failures, "Gateway:MaxMediaPayloadBytes", options.MaxMediaPayloadBytes, 1024 * 1024);
        for (var i = 0; i < options.AllowedOrigins.Count; i++)
        {
            var origin = options.AllowedOrigins[i];
            if (!OriginPolicy.IsValidEntry(origin))
            {
                failures.Add($"Gateway:AllowedOrigins:{i} must be '*' or an http(s) origin such as 'https://app.example.com' (scheme and host, optional port, no path); got '{origin}'.");
            }
        }

        AddIfNotPositive(failures, "Gateway:HealthReportPeriod", options.HealthReportPeriod);
        AddIfNotPositive(failures, "Gateway:KeepAliveInterval", options.KeepAliveInterval);
        AddIfNotPositive(failures, "Gateway:KeepAliveTimeout", options.KeepAliveTimeout);
        AddIfNotPositive(failures, "Gateway:CloseHandshakeTimeout", options.CloseHandshakeTimeout);
        AddIfNotPositive(failures, "Gateway:GrainCallTimeout", options.GrainCallTimeout);
        AddIfNotPositive(failures, "Gateway:DeliveryAttemptTimeout", options.DeliveryAttemptTimeout);
        AddIfNotPositive(failures, "Gateway:RedeliveryTimeout", options.RedeliveryTimeout);
        if (options.MaxUndeliveredEvents < 1)
        {
            failures.Add($"Gateway:MaxUndeliveredEvents must be at least 1, but was {options.MaxUndeliveredEvents}.");
        }
        AddIfNotPositive(failures, "Gateway:DrainTimeout", options.DrainTimeout);
        AddIfNotPositive(failures, "Gateway:LatencySpikeThreshold", options.LatencySpikeThreshold);
        AddIfNotPositive(failures, "Gateway:SendStallTimeout", options.SendStallTimeout);
        AddIfNotPositive(failures, "Gateway:StreamTicketLifetime", options.StreamTicketLifetime);
        if (options.RequireStreamTicket && string.IsNullOrWhiteSpace(options.TwilioAuthToken))
        {
            failures.Add($"Gateway:RequireStreamTicket needs {GatewayOptions.TwilioAuthTokenVariable}: tickets are signed with the auth token.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AddIfNotPositive(List<string> failures, string key, int value, int max)
    {
        if (value <= 0 || value > max)
        {
            failures.Add($"{key} must be in 1..{max}; got {value}.");
        }
    }

    private static void AddIfNotPositive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{key} must be positive; got {value}.");
        }
    }
}
