using Microsoft.Extensions.Options;
using Switchboard.Grains;
using Switchboard.Grains.Connection;
using Switchboard.Grains.Health;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// Reports this silo to the health grain every <see cref="HealthOptions.ReportPeriod"/>: live connection grains, the
/// time a report round trip to the health grain takes (a grain-hop latency sample), and in cluster mode whether the
/// membership store answered (<see cref="MembershipStoreProbe"/>). A failed report is logged and retried next period;
/// the health grain treats a silo that stops reporting as silent.
/// </summary>
internal sealed partial class SiloHealthReporter(
    IGrainFactory grainFactory,
    ILocalSiloDetails silo,
    ConnectionInstruments connections,
    IOptions<HealthOptions> options,
    TimeProvider timeProvider,
    ILogger<SiloHealthReporter> logger,
    MembershipStoreProbe? storeProbe = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var health = grainFactory.GetGrain<IHealthGrain>(IHealthGrain.Key);
        using var timer = new PeriodicTimer(options.Value.ReportPeriod, timeProvider);
        double[] samples = [];
        var startedAt = timeProvider.GetUtcNow();
        var siloId = $"{silo.Name}@{silo.SiloAddress}";
        var warm = false;
        do
        {
            try
            {
                var storeError = storeProbe is null ? null : await storeProbe.ProbeAsync(stoppingToken);
                var report = new NodeReport(siloId, NodeRole.Silo, startedAt, timeProvider.GetUtcNow(), connections.LiveActivations, samples, storeError);
                var started = timeProvider.GetTimestamp();
                await health.GetHealth().WaitAsync(stoppingToken);

                // Not the first round trip: it includes the health grain's activation and this process's first-use
                // JIT (137 ms measured on an idle machine, more under load), which would hold the cluster's p99 over
                // the threshold for a whole latency window (60 s) after every silo start.
                samples = warm ? [timeProvider.GetElapsedTime(started).TotalMilliseconds] : [];
                warm = true;
                await health.Report(report);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SiloLog.HealthReportFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
