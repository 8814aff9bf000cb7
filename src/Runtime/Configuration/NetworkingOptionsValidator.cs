using Microsoft.Extensions.Options;

namespace Switchboard.Runtime.Configuration;

internal sealed class NetworkingOptionsValidator : IValidateOptions<NetworkingOptions>
{
    public ValidateOptionsResult Validate(string? name, NetworkingOptions options)
    {
        var failures = new List<string>();
        if (options.MaxFrameBytes is < NetworkingOptions.MinMaxFrameBytes or > NetworkingOptions.MaxMaxFrameBytes)
        {
            failures.Add($"Networking:MaxFrameBytes must be between {NetworkingOptions.MinMaxFrameBytes} and {NetworkingOptions.MaxMaxFrameBytes}; was {options.MaxFrameBytes}.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Networking:ConnectTimeout must be positive; was {options.ConnectTimeout}.");
        }

        if (options.SendQueueCapacity < 1)
        {
            failures.Add($"Networking:SendQueueCapacity must be at least 1; was {options.SendQueueCapacity}.");
        }

        if (options.ReconnectBackoff < TimeSpan.Zero)
        {
            failures.Add($"Networking:ReconnectBackoff must not be negative; was {options.ReconnectBackoff}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
