using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.MediaStreams;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// Graceful gateway shutdown, in the host's <c>Stopping</c> stage, which runs before any service (the web server
/// included) is stopped: while it waits, Kestrel
/// still listens, so new upgrades get 503 with <c>Retry-After</c> and <c>GET /health</c> answers 503 "not ready" (a load
/// balancer takes the node out), and the calls this gateway holds keep streaming until they end or
/// <see cref="GatewayOptions.DrainTimeout"/> passes. Then the server stops and closes what is left.
/// </summary>
internal sealed class GatewayDrainService(
    GatewayDrainState state,
    MediaStreamTracker tracker,
    IOptions<GatewayOptions> options,
    TimeProvider timeProvider,
    ILogger<GatewayDrainService> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.BeginDraining();
        var timeout = options.Value.DrainTimeout;
        var started = timeProvider.GetTimestamp();
        DrainLog.DrainStarted(logger, tracker.OpenStreams, timeout);
        while (tracker.OpenStreams > 0 && timeProvider.GetElapsedTime(started) < timeout && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        DrainLog.DrainFinished(logger, tracker.OpenStreams, timeProvider.GetElapsedTime(started).TotalMilliseconds);
    }
}
