using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.MediaStreams;
using Switchboard.Grains;

namespace Switchboard.Gateway.Health;

/// <summary>
/// Sends a <see cref="NodeReport"/> (role Gateway, open streams, latency samples gathered since the last report:
/// WebSocket ping round trips) to the health grain every HealthReportPeriod. A failed report is logged and
/// the samples are lost, never retried in a burst; the loop never ends because of a failure, only at shutdown.
/// </summary>
internal sealed class GatewayHealthReporter(
    IServiceProvider services,
    MediaStreamTracker tracker,
    GatewayIdentity identity,
    IOptions<GatewayOptions> options,
    TimeProvider timeProvider,
    ILogger<GatewayHealthReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.HealthReportPeriod;
        HealthLog.HealthReporterStarted(logger, identity.NodeId, period);
        using var timer = new PeriodicTimer(period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await ReportOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One report; exposed for tests.</summary>
    internal async Task ReportOnceAsync(CancellationToken cancellationToken)
    {
        var connections = tracker.OpenStreams;
        try
        {
            var grain = services.GetRequiredService<IGrainFactory>().GetGrain<IHealthGrain>(IHealthGrain.Key);
            var report = new NodeReport(identity.NodeId, NodeRole.Gateway, identity.StartedAt, timeProvider.GetUtcNow(), connections, tracker.DrainLatencySamples());
            var began = timeProvider.GetTimestamp();
            await grain.Report(report).WaitAsync(options.Value.GrainCallTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
            var elapsedMs = timeProvider.GetElapsedTime(began).TotalMilliseconds;
            var threshold = options.Value.LatencySpikeThreshold.TotalMilliseconds;
            if (elapsedMs > threshold)
            {
                HealthLog.LatencySpike(logger, identity.NodeId, elapsedMs, threshold);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            HealthLog.HealthReportFailed(logger, ex, identity.NodeId, connections);
        }
    }
}
