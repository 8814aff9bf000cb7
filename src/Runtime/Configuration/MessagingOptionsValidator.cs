using Microsoft.Extensions.Options;

namespace Switchboard.Runtime.Configuration;

internal sealed class MessagingOptionsValidator : IValidateOptions<MessagingOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagingOptions options)
        => options.ResponseTimeout <= TimeSpan.Zero
            ? ValidateOptionsResult.Fail($"Messaging:ResponseTimeout must be positive; was {options.ResponseTimeout}.")
            : ValidateOptionsResult.Success;
}
