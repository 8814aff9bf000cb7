using Microsoft.Extensions.Options;
using Switchboard.Grains;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Health;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// Reports this silo to the health grain every <see cref="HealthOptions.ReportPeriod"/>: live connection grains, the
/// time a report round trip to the health grain takes (a grain-hop latency sample), and whether the membership store
/// answered this silo's probe. A failed report is logged and retried next period; the health grain treats a silo that
/// stops reporting as silent.
/// </summary>
/// <remarks>
/// Why probe the store: while PostgreSQL is away Orleans keeps serving calls from its cached membership view and says
/// nothing through its public API, yet no silo can be declared dead or join and no checkpoint can be written. The probe
/// reads this silo's own row through Orleans' <see cref="IMembershipTable"/>, the same provider and connection pool
/// Orleans uses, so it fails exactly when Orleans' own membership reads would. It starts once this silo is Active:
/// before that Orleans has not initialised the table.
/// </remarks>
internal sealed partial class SiloHealthReporter(
    IGrainFactory grainFactory,
    ILocalSiloDetails silo,
    IClusterMembershipService membership,
    IMembershipTable membershipTable,
    ConnectionInstruments connections,
    IOptions<HealthOptions> options,
    TimeProvider timeProvider,
    ILogger<SiloHealthReporter> logger) : BackgroundService
{
    /// <summary>How long a store probe may take before it counts as failed: well under the health grain's silence limit
    /// (5 s), so a store that hangs rather than refuses still leaves the silo reporting.</summary>
    internal static readonly TimeSpan StoreProbeTimeout = TimeSpan.FromSeconds(2);

    private const int MaxErrorLength = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var health = grainFactory.GetGrain<IHealthGrain>(IHealthGrain.Key);
        using var timer = new PeriodicTimer(options.Value.ReportPeriod, timeProvider);
        double[] samples = [];
        var startedAt = timeProvider.GetUtcNow();
        var siloId = $"{silo.Name}@{silo.SiloAddress}";
        string? storeError = null;
        do
        {
            try
            {
                storeError = await ProbeStoreAsync(storeError, stoppingToken);
                var report = new NodeReport(siloId, NodeRole.Silo, startedAt, timeProvider.GetUtcNow(), connections.LiveActivations, samples, storeError);
                var started = timeProvider.GetTimestamp();
                await health.GetHealth().WaitAsync(stoppingToken);
                samples = [timeProvider.GetElapsedTime(started).TotalMilliseconds];
                await health.Report(report);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SiloLog.HealthReportFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Reads this silo's membership row; returns null when the store answered (or the silo is not Active yet),
    /// otherwise why not. Logs only the changes between reachable and unreachable.</summary>
    private async Task<string?> ProbeStoreAsync(string? previousError, CancellationToken cancellationToken)
    {
        if (membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) != SiloStatus.Active)
        {
            return previousError;
        }

        string? error = null;
        try
        {
            await membershipTable.ReadRowAsync(silo.SiloAddress, cancellationToken).WaitAsync(StoreProbeTimeout, timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            error = $"no answer within {StoreProbeTimeout.TotalSeconds:0.#} s";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = Describe(ex);
        }

        if (error is not null && previousError is null)
        {
            SiloLog.MembershipStoreUnreachable(logger, error);
        }
        else if (error is null && previousError is not null)
        {
            SiloLog.MembershipStoreReachable(logger);
        }

        return error;
    }

    private static string Describe(Exception exception)
    {
        var text = $"{exception.GetType().Name}: {exception.Message}";
        return text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
    }
}
