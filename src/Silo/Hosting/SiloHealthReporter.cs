using Microsoft.Extensions.Options;
using Switchboard.Grains;
using Switchboard.Grains.Health;
using Switchboard.Runtime;
using Switchboard.Runtime.Hosting;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// Reports this silo to the health grain every <see cref="HealthOptions.ReportPeriod"/>: live connection grains and
/// the time a report round trip to the health grain takes (a grain-hop latency sample). A failed report is logged and
/// retried next period; the health grain treats a silo that stops reporting as silent.
/// </summary>
internal sealed partial class SiloHealthReporter(
    IGrainFactory grainFactory,
    ISiloStatistics statistics,
    IOptions<HealthOptions> options,
    TimeProvider timeProvider,
    ILogger<SiloHealthReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var health = grainFactory.GetGrain<IHealthGrain>(IHealthGrain.Key);
        using var timer = new PeriodicTimer(options.Value.ReportPeriod, timeProvider);
        double[] samples = [];
        do
        {
            try
            {
                var connections = statistics.GetActivationCount("connection");
                var report = new NodeReport(statistics.SiloId, NodeRole.Silo, statistics.StartedAt, timeProvider.GetUtcNow(), connections, samples);
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
}
