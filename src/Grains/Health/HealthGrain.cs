using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Switchboard.Grains.Health;

/// <summary>The single cluster health grain (key <see cref="IHealthGrain.Key"/>); rules in <see cref="HealthRules"/>,
/// state in <see cref="HealthAggregator"/>; the silos come from the membership view of the silo it lives on. State is soft: after a reactivation it refills within one report period.</summary>
[GrainType("health")]
public sealed class HealthGrain(
    IOptions<HealthOptions> options,
    TimeProvider timeProvider,
    IClusterMembershipService membership,
    ILogger<HealthGrain> logger) : Grain, IHealthGrain
{
    private readonly HealthAggregator _aggregator = new(options.Value);

    /// <inheritdoc />
    public Task Report(NodeReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var previous = _aggregator.LastStatus;
        var snapshot = _aggregator.Report(report, timeProvider.GetUtcNow());
        if (previous != snapshot.Status)
        {
            HealthLog.StatusChanged(logger, previous, snapshot.Status, string.Join("; ", snapshot.Reasons));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<HealthSnapshot> GetHealth()
    {
        var view = membership.CurrentSnapshot;
        var silos = view.Members.Values
            .Where(static m => m.Status != SiloStatus.Dead)
            .OrderBy(static m => m.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(static m => new SiloMembership(m.SiloAddress.ToString(), m.Name, m.Status.ToString()))
            .ToArray();
        var snapshot = _aggregator.GetSnapshot(timeProvider.GetUtcNow()) with { Silos = silos, MembershipVersion = view.Version.Value };
        return Task.FromResult(snapshot);
    }
}
