using Microsoft.Extensions.Options;

namespace Switchboard.Postgres.Storage;

/// <summary>Validates <see cref="GrainStorageCircuitBreakerOptions"/> at start-up (the options are named by storage);
/// every message names the key, the rule and the value. Polly would reject some of these too, but only when the first
/// grain asks for its storage, with its own property names.</summary>
internal sealed class GrainStorageCircuitBreakerOptionsValidator : IValidateOptions<GrainStorageCircuitBreakerOptions>
{
    public ValidateOptionsResult Validate(string? name, GrainStorageCircuitBreakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = GrainStorageCircuitBreakerOptions.SectionName;
        var failures = new List<string>();
        if (options.FailureThreshold is < GrainStorageCircuitBreakerOptions.MinFailureThreshold or > GrainStorageCircuitBreakerOptions.MaxFailureThreshold)
        {
            failures.Add($"{Section}:{nameof(options.FailureThreshold)} must be in {GrainStorageCircuitBreakerOptions.MinFailureThreshold}..{GrainStorageCircuitBreakerOptions.MaxFailureThreshold}; got {options.FailureThreshold}.");
        }

        InRange(failures, $"{Section}:{nameof(options.SamplingDuration)}", options.SamplingDuration);
        InRange(failures, $"{Section}:{nameof(options.BreakDuration)}", options.BreakDuration);
        InRange(failures, $"{Section}:{nameof(options.MaxBreakDuration)}", options.MaxBreakDuration);
        if (options.MaxBreakDuration < options.BreakDuration)
        {
            failures.Add($"{Section}:{nameof(options.MaxBreakDuration)} must not be shorter than {Section}:{nameof(options.BreakDuration)} ({options.BreakDuration}); got {options.MaxBreakDuration}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void InRange(List<string> failures, string key, TimeSpan value)
    {
        if (value < GrainStorageCircuitBreakerOptions.MinDuration || value > GrainStorageCircuitBreakerOptions.MaxDuration)
        {
            failures.Add($"{key} must be in {GrainStorageCircuitBreakerOptions.MinDuration}..{GrainStorageCircuitBreakerOptions.MaxDuration}; got {value}.");
        }
    }
}
