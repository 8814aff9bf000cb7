using System.Text;
using Microsoft.Extensions.Options;

namespace Switchboard.Gateway.Security;

/// <summary>Validates <see cref="AppAuthOptions"/> at start-up; messages name the key and the rule, never the key's value.</summary>
internal sealed class AppAuthOptionsValidator : IValidateOptions<AppAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AppAuthOptions options)
    {
        var failures = new List<string>();
        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > AppAuthOptions.MaxClockSkew)
        {
            failures.Add($"Gateway:Auth:ClockSkew must be in 00:00:00..{AppAuthOptions.MaxClockSkew}; got {options.ClockSkew}.");
        }

        if (options.Enabled)
        {
            var bytes = Encoding.UTF8.GetByteCount(options.SigningKey!);
            if (bytes < AppAuthOptions.MinSigningKeyBytes)
            {
                failures.Add($"Gateway:Auth:SigningKey must be at least {AppAuthOptions.MinSigningKeyBytes} bytes of UTF-8 (HS256); got {bytes} bytes.");
            }

            if (string.IsNullOrWhiteSpace(options.Issuer))
            {
                failures.Add("Gateway:Auth:Issuer must be set when Gateway:Auth:SigningKey is set.");
            }

            if (string.IsNullOrWhiteSpace(options.Audience))
            {
                failures.Add("Gateway:Auth:Audience must be set when Gateway:Auth:SigningKey is set.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(options.Issuer) || !string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Gateway:Auth:Issuer/Audience are set but Gateway:Auth:SigningKey is not: application clients could never authenticate.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
