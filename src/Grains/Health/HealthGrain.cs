using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Runtime;

namespace Switchboard.Grains.Health;

/// <summary>The single cluster health grain (key <see cref="IHealthGrain.Key"/>); rules in <see cref="HealthRules"/>,
/// state in <see cref="HealthAggregator"/>. State is soft: after a reactivation it refills within one report period.</summary>
public sealed class HealthGrain(IOptions<HealthOptions> options, TimeProvider timeProvider, ILogger<HealthGrain> logger) : Grain, IHealthGrain
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
    public Task<HealthSnapshot> GetHealth() => Task.FromResult(_aggregator.GetSnapshot(timeProvider.GetUtcNow()));
}
