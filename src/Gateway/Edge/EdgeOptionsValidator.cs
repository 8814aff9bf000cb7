using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// Validates <see cref="EdgeOptions"/> at start-up; every message names the key, the rule and the value. In Production a
/// gateway must be reachable over TLS: either it terminates TLS itself or a listed proxy does (otherwise it would refuse
/// every WebSocket upgrade, and it is better to say so at boot than on the first call).
/// </summary>
internal sealed class EdgeOptionsValidator(IHostEnvironment environment) : IValidateOptions<EdgeOptions>
{
    public ValidateOptionsResult Validate(string? name, EdgeOptions options)
    {
        var failures = new List<string>();
        if (options.MaxConnections is < 1 or > EdgeOptions.MaxMaxConnections)
        {
            failures.Add($"Gateway:MaxConnections must be in 1..{EdgeOptions.MaxMaxConnections}; got {options.MaxConnections}.");
        }

        var proxiesValid = KnownProxyList.TryParse(options.KnownProxies, out var proxies, out var proxyError);
        if (!proxiesValid)
        {
            failures.Add($"Gateway:KnownProxies must list IP addresses or CIDR networks: {proxyError}.");
        }

        var rate = options.UpgradeRateLimit;
        if (!double.IsFinite(rate.PerAddressPerSecond) || rate.PerAddressPerSecond < 0 || rate.PerAddressPerSecond > 1_000_000)
        {
            failures.Add($"Gateway:UpgradeRateLimit:PerAddressPerSecond must be in 0..1000000 (0 = off); got {rate.PerAddressPerSecond}.");
        }

        if (rate.Burst is < 1 or > 1_000_000)
        {
            failures.Add($"Gateway:UpgradeRateLimit:Burst must be in 1..1000000; got {rate.Burst}.");
        }

        var http = options.Http;
        Positive(failures, "Gateway:Http:RequestHeadersTimeout", http.RequestHeadersTimeout);
        Positive(failures, "Gateway:Http:KeepAliveTimeout", http.KeepAliveTimeout);
        Positive(failures, "Gateway:Http:MinRequestBodyDataRateGracePeriod", http.MinRequestBodyDataRateGracePeriod);
        InRange(failures, "Gateway:Http:MaxRequestHeadersTotalSize", http.MaxRequestHeadersTotalSize, 1024, 1024 * 1024);
        InRange(failures, "Gateway:Http:MaxRequestHeaderCount", http.MaxRequestHeaderCount, 8, 1000);
        InRange(failures, "Gateway:Http:MaxRequestLineSize", http.MaxRequestLineSize, 256, 1024 * 1024);
        if (http.MaxRequestBodySize is < 1024 or > 1024L * 1024 * 1024)
        {
            failures.Add($"Gateway:Http:MaxRequestBodySize must be in 1024..1073741824; got {http.MaxRequestBodySize}.");
        }

        if (!double.IsFinite(http.MinRequestBodyDataRate) || http.MinRequestBodyDataRate < 0)
        {
            failures.Add($"Gateway:Http:MinRequestBodyDataRate must be >= 0 (0 = off); got {http.MinRequestBodyDataRate}.");
        }

        if (options.Tls.Enabled)
        {
            if (GatewayCertificate.TryLoad(options.Tls, out var certificate, out var error))
            {
                certificate.Dispose();
            }
            else
            {
                failures.Add(error);
            }
        }

        if (environment.IsProduction() && !options.Tls.Enabled && proxiesValid && proxies.IsEmpty)
        {
            failures.Add("In Production WebSocket upgrades must arrive over TLS: set Gateway:Tls:CertificatePath (Kestrel terminates TLS) "
                + "or list the TLS-terminating proxy in Gateway:KnownProxies (it must send X-Forwarded-Proto: https).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{key} must be positive; got {value}.");
        }
    }

    private static void InRange(List<string> failures, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} must be in {min}..{max}; got {value}.");
        }
    }
}
