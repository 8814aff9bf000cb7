using Microsoft.Extensions.Options;

namespace Switchboard.Runtime.Configuration;

internal sealed class GrainCollectionOptionsValidator : IValidateOptions<GrainCollectionOptions>
{
    public ValidateOptionsResult Validate(string? name, GrainCollectionOptions options)
    {
        var failures = new List<string>();
        CheckPositive(failures, nameof(options.CollectionAge), options.CollectionAge);
        CheckPositive(failures, nameof(options.CollectionQuantum), options.CollectionQuantum);
        CheckPositive(failures, nameof(options.ActivationTimeout), options.ActivationTimeout);
        CheckPositive(failures, nameof(options.DeactivationTimeout), options.DeactivationTimeout);
        if (options.CollectionAge < options.CollectionQuantum)
        {
            failures.Add($"GrainCollection:CollectionAge ({options.CollectionAge}) must be at least CollectionQuantum ({options.CollectionQuantum}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPositive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"GrainCollection:{key} must be positive; was {value}.");
        }
    }
}
