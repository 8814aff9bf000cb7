using Microsoft.Extensions.Options;

namespace Switchboard.Runtime.Configuration;

/// <summary>Validates <see cref="RoutingOptions"/> at start.</summary>
internal sealed class RoutingOptionsValidator : IValidateOptions<RoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        var failures = new List<string>();
        if (options.FailoverBufferCapacity is < 1 or > 100_000)
        {
            failures.Add($"Routing:FailoverBufferCapacity must be between 1 and 100000 messages; got {options.FailoverBufferCapacity}.");
        }

        Positive(failures, "FailoverTimeout", options.FailoverTimeout);
        Positive(failures, "RetryDelay", options.RetryDelay);
        Positive(failures, "ProbeTimeout", options.ProbeTimeout);
        Positive(failures, "RouteIdleTimeout", options.RouteIdleTimeout);
        Positive(failures, "LeaveAcknowledgeTimeout", options.LeaveAcknowledgeTimeout);
        if (options.ShutdownDrainTime < TimeSpan.Zero)
        {
            failures.Add($"Routing:ShutdownDrainTime must not be negative; got {options.ShutdownDrainTime}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"Routing:{key} must be positive; got {value}.");
        }
    }
}
