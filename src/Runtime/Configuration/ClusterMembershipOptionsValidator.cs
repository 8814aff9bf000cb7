using Microsoft.Extensions.Options;

namespace Switchboard.Runtime.Configuration;

/// <summary>Rejects membership settings that would break failure detection (fail fast at boot).</summary>
internal sealed class ClusterMembershipOptionsValidator : IValidateOptions<ClusterMembershipOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string S = ClusterMembershipOptions.SectionName;

        Positive(failures, $"{S}:ProbePeriod", options.ProbePeriod);
        Positive(failures, $"{S}:ProbeTimeout", options.ProbeTimeout);
        Positive(failures, $"{S}:DeathVoteExpirationTimeout", options.DeathVoteExpirationTimeout);
        Positive(failures, $"{S}:TableRefreshPeriod", options.TableRefreshPeriod);
        Positive(failures, $"{S}:IAmAlivePeriod", options.IAmAlivePeriod);
        Positive(failures, $"{S}:DefunctSiloExpiration", options.DefunctSiloExpiration);
        AtLeastOne(failures, $"{S}:NumMissedProbesLimit", options.NumMissedProbesLimit);
        AtLeastOne(failures, $"{S}:NumProbedSilos", options.NumProbedSilos);
        AtLeastOne(failures, $"{S}:NumVotesForDeathDeclaration", options.NumVotesForDeathDeclaration);
        AtLeastOne(failures, $"{S}:NumMissedTableIAmAliveLimit", options.NumMissedTableIAmAliveLimit);

        // A timeout longer than the period would let probes of one target pile up and stretch detection past
        // NumMissedProbesLimit periods.
        if (options.ProbeTimeout > options.ProbePeriod && options.ProbePeriod > TimeSpan.Zero)
        {
            failures.Add($"{S}:ProbeTimeout must not exceed {S}:ProbePeriod ({options.ProbePeriod}); was {options.ProbeTimeout}.");
        }

        // Votes must outlive the time the other monitors need to miss their probes too, or they never add up.
        var detectionWindow = options.ProbePeriod * Math.Max(1, options.NumMissedProbesLimit);
        if (options.DeathVoteExpirationTimeout > TimeSpan.Zero && options.DeathVoteExpirationTimeout <= detectionWindow)
        {
            failures.Add($"{S}:DeathVoteExpirationTimeout must be longer than {S}:ProbePeriod × {S}:NumMissedProbesLimit ({detectionWindow}); was {options.DeathVoteExpirationTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{key} must be positive; was {value}.");
        }
    }

    private static void AtLeastOne(List<string> failures, string key, int value)
    {
        if (value < 1)
        {
            failures.Add($"{key} must be at least 1; was {value}.");
        }
    }
}
