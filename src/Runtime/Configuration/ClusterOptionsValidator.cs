using Microsoft.Extensions.Options;

namespace Switchboard.Runtime.Configuration;

/// <summary>Validates <see cref="ClusterOptions"/> at start: PostgreSQL mode needs its connection string.</summary>
internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClusterId) || options.ClusterId.Length > 150)
        {
            failures.Add($"Cluster:ClusterId must be 1 to 150 characters; was '{options.ClusterId}'.");
        }

        if (!Enum.IsDefined(options.Membership))
        {
            failures.Add($"Cluster:Membership must be InMemory or Postgres; was '{options.Membership}'.");
        }

        if (options.Membership == MembershipProviderKind.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("Cluster:Membership is Postgres but ConnectionStrings:Cluster (environment variable ConnectionStrings__Cluster) is not set.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
