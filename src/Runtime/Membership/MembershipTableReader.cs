using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Runtime.Configuration;

namespace Switchboard.Runtime.Membership;

/// <summary>
/// Membership view of a cluster client (the gateway): reads the whole table every <c>TableRefreshPeriod</c>, tracks
/// whether the store answers and raises the same events as the silo agent. It never writes and never probes: a
/// client learns about deaths from the table, within one refresh period of the Dead write.
/// </summary>
/// <remarks>
/// Failure modes: a failed read keeps the last view with <c>StoreReachable = false</c> (logged once per outage) and
/// the next tick tries again; <see cref="StartAsync"/> retries until the first read succeeds or its token ends, so a
/// gateway never starts with an empty view by mistake.
/// </remarks>
internal sealed class MembershipTableReader : IClusterMembershipService, IMembershipRefresher, IAsyncDisposable
{
    private readonly IMembershipTable _table;
    private readonly ClusterMembershipOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly MembershipSnapshotTracker _tracker;
    private readonly WorkTracker _work = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private int _refreshRunning;

    /// <summary>Creates the reader; nothing runs before <see cref="StartAsync"/>.</summary>
    public MembershipTableReader(IMembershipTable table, IOptions<ClusterMembershipOptions> options, TimeProvider timeProvider, ILogger<MembershipTableReader> logger)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _table = table;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _tracker = new MembershipSnapshotTracker(logger, timeProvider, self: null);
    }

    /// <inheritdoc />
    public ClusterMembershipSnapshot CurrentSnapshot => _tracker.Current;

    /// <inheritdoc />
    public event Action<ClusterMembershipSnapshot>? SnapshotChanged
    {
        add => _tracker.SnapshotChanged += value;
        remove => _tracker.SnapshotChanged -= value;
    }

    /// <summary>Raised once per silo newly seen Dead (including rows already Dead at the first read). Quick, must not throw.</summary>
    public event Action<SiloAddress>? SiloDeclaredDead
    {
        add => _tracker.SiloDeclaredDead += value;
        remove => _tracker.SiloDeclaredDead -= value;
    }

    /// <summary>Background work that can progress without the clock moving (0 = quiescent). For fake-time tests.</summary>
    internal int PendingOperations => _work.Pending;

    /// <summary>Reads the table until it answers (one attempt per <c>TableRefreshPeriod</c>; bounded by
    /// <paramref name="cancellationToken"/>, which the host should give a start timeout), then refreshes periodically.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var token = linked.Token;
        _work.Enter();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await RefreshAsync(token).ConfigureAwait(false);
                    break;
                }
                catch (MembershipStoreException exception)
                {
                    _logger.ReaderStartRetry(exception.InnerException ?? exception, attempt);
                }

                await _work.WaitParkedAsync(null, _options.TableRefreshPeriod, _timeProvider, token).ConfigureAwait(false);
                token.ThrowIfCancellationRequested();
            }

            var snapshot = _tracker.Current;
            _logger.ReaderStarted(snapshot.Version, snapshot.ActiveSilos.Count);
            lock (_lock)
            {
                if (!_stopping.IsCancellationRequested)
                {
                    _timer ??= _timeProvider.CreateTimer(static s => ((MembershipTableReader)s!).OnRefreshTick(), this, _options.TableRefreshPeriod, _options.TableRefreshPeriod);
                }
            }
        }
        finally
        {
            _work.Exit();
        }
    }

    /// <summary>Stops refreshing; the last view stays readable.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
    }

    private void OnRefreshTick()
    {
        if (_stopping.IsCancellationRequested || Interlocked.Exchange(ref _refreshRunning, 1) != 0)
        {
            return;
        }

        _work.Start(async () =>
        {
            try
            {
                await RefreshAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (MembershipStoreException)
            {
                // Recorded as an outage by the tracker; the next tick tries again.
            }
            finally
            {
                Volatile.Write(ref _refreshRunning, 0);
            }
        }, exception =>
        {
            if (exception is not OperationCanceledException || !_stopping.IsCancellationRequested)
            {
                _logger.BackgroundFailed(exception);
            }
        });
    }

    /// <inheritdoc />
    public async Task RefreshNowAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MembershipStoreException)
        {
            // Recorded as an outage by the tracker.
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var table = await _tracker.CallStoreAsync(ct => _table.ReadAllAsync(ct), "ReadAll", cancellationToken).ConfigureAwait(false);
        _tracker.Publish(table, suspected: null);
    }
}
