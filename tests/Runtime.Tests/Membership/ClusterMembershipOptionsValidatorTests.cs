using Microsoft.Extensions.Configuration;
using Switchboard.Runtime.Configuration;

namespace Switchboard.Runtime.Tests.Membership;

public sealed class ClusterMembershipOptionsValidatorTests
{
    private readonly ClusterMembershipOptionsValidator _validator = new();

    [Theory]
    [InlineData(nameof(ClusterMembershipOptions.ProbePeriod), "00:00:00", "Membership:ProbePeriod must be positive; was 00:00:00.")]
    [InlineData(nameof(ClusterMembershipOptions.ProbeTimeout), "-00:00:01", "Membership:ProbeTimeout must be positive; was -00:00:01.")]
    [InlineData(nameof(ClusterMembershipOptions.ProbeTimeout), "00:00:02", "Membership:ProbeTimeout must not exceed Membership:ProbePeriod (00:00:01); was 00:00:02.")]
    [InlineData(nameof(ClusterMembershipOptions.NumMissedProbesLimit), "0", "Membership:NumMissedProbesLimit must be at least 1; was 0.")]
    [InlineData(nameof(ClusterMembershipOptions.NumProbedSilos), "0", "Membership:NumProbedSilos must be at least 1; was 0.")]
    [InlineData(nameof(ClusterMembershipOptions.NumVotesForDeathDeclaration), "-1", "Membership:NumVotesForDeathDeclaration must be at least 1; was -1.")]
    [InlineData(nameof(ClusterMembershipOptions.DeathVoteExpirationTimeout), "00:00:02", "Membership:DeathVoteExpirationTimeout must be longer than Membership:ProbePeriod × Membership:NumMissedProbesLimit (00:00:02); was 00:00:02.")]
    [InlineData(nameof(ClusterMembershipOptions.TableRefreshPeriod), "00:00:00", "Membership:TableRefreshPeriod must be positive; was 00:00:00.")]
    [InlineData(nameof(ClusterMembershipOptions.IAmAlivePeriod), "00:00:00", "Membership:IAmAlivePeriod must be positive; was 00:00:00.")]
    [InlineData(nameof(ClusterMembershipOptions.NumMissedTableIAmAliveLimit), "0", "Membership:NumMissedTableIAmAliveLimit must be at least 1; was 0.")]
    [InlineData(nameof(ClusterMembershipOptions.DefunctSiloExpiration), "00:00:00", "Membership:DefunctSiloExpiration must be positive; was 00:00:00.")]
    public void Validate_InvalidValue_FailsNamingKeyRuleAndValue(string key, string value, string expected)
    {
        var result = _validator.Validate(null, Bind(key, value));

        Assert.True(result.Failed);
        Assert.Equal([expected], result.Failures);
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var options = new ClusterMembershipOptions();

        Assert.True(_validator.Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ProbePeriod);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ProbeTimeout);
        Assert.Equal(2, options.NumMissedProbesLimit);
        Assert.Equal(10, options.NumProbedSilos);
        Assert.Equal(2, options.NumVotesForDeathDeclaration);
        Assert.Equal(TimeSpan.FromMinutes(2), options.DeathVoteExpirationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.TableRefreshPeriod);
        Assert.Equal(TimeSpan.FromSeconds(5), options.IAmAlivePeriod);
        Assert.Equal(3, options.NumMissedTableIAmAliveLimit);
        Assert.Equal(TimeSpan.FromDays(1), options.DefunctSiloExpiration);
    }

    [Fact]
    public void Bind_MembershipSection_OverridesDefaults()
    {
        var options = Bind(nameof(ClusterMembershipOptions.ProbePeriod), "00:00:02");

        Assert.Equal(TimeSpan.FromSeconds(2), options.ProbePeriod);
        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    private static ClusterMembershipOptions Bind(string key, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{ClusterMembershipOptions.SectionName}:{key}"] = value })
            .Build();
        var options = new ClusterMembershipOptions();
        configuration.GetSection(ClusterMembershipOptions.SectionName).Bind(options);
        return options;
    }
}
