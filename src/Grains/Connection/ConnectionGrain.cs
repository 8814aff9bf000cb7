using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Grains.Applications;
using Switchboard.Runtime;
using Switchboard.Runtime.Timers;

namespace Switchboard.Grains.Connection;

/// <summary>
/// The per-stream grain (key: <c>streamSid</c>). Thin glue: all rules live in <see cref="ConnectionSession"/>
/// (state machine, sequence accounting, rate limit, heartbeat, outbound queue, replace-on-second-start policy).
/// This class owns only the runtime side: the heartbeat timer (period
/// <see cref="ConnectionGrainOptions.HeartbeatCheckPeriod"/>, kept alive while the stream lives) and self-deactivation
/// once the retention period after the final state is over.
/// </summary>
public sealed class ConnectionGrain(
    IOptions<ConnectionGrainOptions> options,
    TimeProvider timeProvider,
    ICallApplication application,
    ILogger<ConnectionGrain> logger) : Grain, IConnectionGrain
{
    private ConnectionSession? _session;
    private IGrainTimer? _timer;

    private ConnectionSession Session => _session ?? throw new InvalidOperationException("The connection grain is not activated.");

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _session = new ConnectionSession(GetPrimaryKeyString(), options.Value, timeProvider, application, logger);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = null;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<AttachResult> Start(StreamStart start, IConnectionObserver observer, string gatewayId)
    {
        var result = await Session.StartAsync(start, observer, gatewayId, CancellationToken.None);
        if (result.Accepted && _timer is null)
        {
            var period = options.Value.HeartbeatCheckPeriod;
            _timer = RegisterGrainTimer(OnTickAsync, new GrainTimerCreationOptions { DueTime = period, Period = period, KeepAlive = true });
        }

        return result;
    }

    /// <inheritdoc />
    public Task OnMedia(InboundMedia media) => Session.OnMediaAsync(media, CancellationToken.None);

    /// <inheritdoc />
    public Task OnMark(MarkEcho mark) => Session.OnMarkAsync(mark, CancellationToken.None);

    /// <inheritdoc />
    public Task OnDtmf(DtmfEvent dtmf) => Session.OnDtmfAsync(dtmf, CancellationToken.None);

    /// <inheritdoc />
    public Task Stop(StreamStop stop) => Session.StopAsync(stop, CancellationToken.None);

    /// <inheritdoc />
    public Task SocketClosed(SocketClosure closure) => Session.SocketClosedAsync(closure, CancellationToken.None);

    /// <inheritdoc />
    public Task ReportRoundTrip(double roundTripMs)
    {
        Session.ReportRoundTrip(roundTripMs);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<EnqueueResult> EnqueueMedia(byte[] audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        return Task.FromResult(Session.SendMedia(audio));
    }

    /// <inheritdoc />
    public Task<EnqueueResult> EnqueueMark(string name) => Task.FromResult(Session.SendMark(name));

    /// <inheritdoc />
    public Task Clear()
    {
        Session.Clear();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ConnectionSnapshot> GetSnapshot() => Task.FromResult(Session.GetSnapshot());

    private async Task OnTickAsync(CancellationToken cancellationToken)
    {
        if (await Session.TickAsync(cancellationToken) == SessionTick.RetentionElapsed)
        {
            _timer?.Dispose();
            _timer = null;
            DeactivateOnIdle();
        }
    }
}
