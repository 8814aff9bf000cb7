using System.Net;
using Microsoft.Extensions.Options;

namespace Switchboard.Runtime.Configuration;

internal sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SiloName) || options.SiloName.Contains('/', StringComparison.Ordinal))
        {
            failures.Add($"Silo:SiloName must be non-empty and contain no '/'; was '{options.SiloName}'.");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Silo:Port must be between 0 and 65535; was {options.Port}.");
        }

        if (!IPAddress.TryParse(options.ListenAddress, out _))
        {
            failures.Add($"Silo:ListenAddress must be an IP address; was '{options.ListenAddress}'.");
        }

        if (string.IsNullOrWhiteSpace(options.AdvertisedAddress) || options.AdvertisedAddress.Contains(':', StringComparison.Ordinal)
            || options.AdvertisedAddress.Contains('@', StringComparison.Ordinal))
        {
            failures.Add($"Silo:AdvertisedAddress must be an IPv4 address or host name without ':' or '@'; was '{options.AdvertisedAddress}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
