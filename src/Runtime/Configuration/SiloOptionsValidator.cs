using Microsoft.Extensions.Options;

namespace Switchboard.Runtime.Configuration;

internal sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
        => string.IsNullOrWhiteSpace(options.SiloName) || options.SiloName.Contains('/', StringComparison.Ordinal)
            ? ValidateOptionsResult.Fail($"Silo:SiloName must be non-empty and contain no '/'; was '{options.SiloName}'.")
            : ValidateOptionsResult.Success;
}
