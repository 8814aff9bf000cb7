using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Runtime.Configuration;
using Switchboard.Runtime.Messaging;

namespace Switchboard.Runtime.Membership;

/// <summary>
/// A silo's side of the membership protocol: joins the table, heartbeats, keeps the view fresh, probes its peers and
/// votes failed ones dead (Orleans' MembershipAgent + ClusterHealthMonitor + MembershipTableManager in one).
/// </summary>
/// <remarks>
/// <para>Phases: <see cref="JoinAsync"/> (row inserted as Joining, earlier generations of this endpoint declared Dead,
/// connectivity to every live Active silo checked, row written Active, loops started), running (IAmAlive every
/// <c>IAmAlivePeriod</c>, table read every <c>TableRefreshPeriod</c>, probes every <c>ProbePeriod</c>),
/// <see cref="ShutdownAsync"/> (ShuttingDown: no new placements, still probing and voting),
/// <see cref="LeaveAsync"/> (Dead written by the silo itself, loops stopped).</para>
/// <para>Invariants:</para>
/// <list type="bullet">
/// <item>Every row change is a read-modify-write guarded by the table version, retried on conflict a bounded number of
/// times; after a successful write this silo re-reads at once, so its own view never lags its own writes.</item>
/// <item>A target is voted only after <c>NumMissedProbesLimit</c> consecutive failed probes; one answered probe resets
/// the count. The vote that brings the fresh votes to the required number also writes Dead, in the same CAS write.
/// Required = min(<c>NumVotesForDeathDeclaration</c>, live Active silos other than the target), at least 1.</item>
/// <item>Only a functional silo (Active, ShuttingDown, Stopping) votes; a Joining silo only adds a suspect vote and
/// never declares a death, because it has not yet proven its own connectivity.</item>
/// <item>Dead is final: a silo that reads its own row Dead raises <see cref="DeclaredDeadLocally"/> once and stops
/// all loops; the host must end the process.</item>
/// </list>
/// <para>Failure modes: a store failure marks the view unreachable (logged once per outage) and nothing is written
/// until the store answers, so an outage never kills anyone (accuracy over completeness); probes keep running and the
/// silo keeps serving. Probes that hang are bounded by <c>ProbeTimeout</c>; at most two probes per target are in flight.
/// A conflict storm (more than <see cref="MaxCasAttempts"/> conflicts in a row) gives up that write; the next missed
/// probe tries again.</para>
/// </remarks>
internal sealed class MembershipAgent : IClusterMembershipService, IAsyncDisposable
{
    /// <summary>Version conflicts tolerated for one row write before giving up.</summary>
    internal const int MaxCasAttempts = 16;

    /// <summary>Store calls tried during join before it fails (one <c>TableRefreshPeriod</c> apart).</summary>
    internal const int MaxJoinStoreAttempts = 10;

    /// <summary>Bound on the status writes of <see cref="ShutdownAsync"/> and <see cref="LeaveAsync"/>.</summary>
    internal static readonly TimeSpan GracefulWriteTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How often defunct rows are deleted.</summary>
    internal static readonly TimeSpan DefunctCleanupPeriod = TimeSpan.FromHours(1);

    // With ProbeTimeout <= ProbePeriod (validated) a hanging target has at most one probe still waiting when the next
    // tick starts another; the cap only matters if the prober ignores its timeout.
    private const int MaxProbesInFlight = 2;

    private readonly SiloIdentity _identity;
    private readonly SiloAddress _self;
    private readonly IMembershipTable _table;
    private readonly ISiloProber _prober;
    private readonly ClusterMembershipOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly MembershipSnapshotTracker _tracker;
    private readonly WorkTracker _work = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<SiloAddress, ProbeTargetState> _targets = [];
    private readonly List<ITimer> _timers = [];
    private int _joinStarted;
    private int _refreshRunning;
    private int _iAmAliveRunning;
    private int _declaredDead;
    private volatile bool _leaving;

    /// <summary>Creates the agent of the cluster silo <paramref name="identity"/> (its address must be set).</summary>
    public MembershipAgent(
        SiloIdentity identity,
        IMembershipTable table,
        ISiloProber prober,
        IOptions<ClusterMembershipOptions> options,
        TimeProvider timeProvider,
        ILogger<MembershipAgent> logger)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(prober);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _identity = identity;
        _self = identity.Address ?? throw new ArgumentException("The membership agent runs on cluster silos only; the identity has no silo address.", nameof(identity));
        _table = table;
        _prober = prober;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _tracker = new MembershipSnapshotTracker(logger, timeProvider, _self, OnStoreRecovered);
    }

    /// <summary>This silo's address.</summary>
    public SiloAddress Address => _self;

    /// <inheritdoc />
    public ClusterMembershipSnapshot CurrentSnapshot => _tracker.Current;

    /// <inheritdoc />
    public event Action<ClusterMembershipSnapshot>? SnapshotChanged
    {
        add => _tracker.SnapshotChanged += value;
        remove => _tracker.SnapshotChanged -= value;
    }

    /// <summary>Raised once per other silo newly seen Dead (drop its connections, clean its directory entries).
    /// Also raised for rows already Dead at this silo's first read. Quick, must not throw.</summary>
    public event Action<SiloAddress>? SiloDeclaredDead
    {
        add => _tracker.SiloDeclaredDead += value;
        remove => _tracker.SiloDeclaredDead -= value;
    }

    /// <summary>Raised at most once, with a reason, when the cluster declared this silo Dead. The silo has already
    /// stopped its membership loops; the host must stop the process (a Dead identity never comes back).</summary>
    public event Action<string>? DeclaredDeadLocally;

    /// <summary>Background work that can progress without the clock moving (0 = quiescent). For fake-time tests.</summary>
    internal int PendingOperations => _work.Pending;

    /// <summary>Consecutive missed probes of <paramref name="silo"/> as this monitor counts them (0 if not probed).</summary>
    internal int MissedProbes(SiloAddress silo)
    {
        lock (_lock)
        {
            return _targets.TryGetValue(silo, out var state) ? state.Misses : 0;
        }
    }

    /// <summary>
    /// Joins the cluster: inserts this silo's row as Joining, declares earlier generations of the same endpoint Dead,
    /// probes every Active silo whose heartbeat is not stale (one that never answers within
    /// <c>NumMissedProbesLimit</c> attempts is logged and voted suspect, and the join goes on), writes Active and
    /// starts the loops. Store failures are retried <see cref="MaxJoinStoreAttempts"/> times, then thrown as
    /// <see cref="MembershipStoreException"/>.
    /// </summary>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _joinStarted, 1) != 0)
        {
            throw new InvalidOperationException($"Silo {_self} already joined; JoinAsync runs once per agent.");
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var token = linked.Token;
        var started = _timeProvider.GetTimestamp();
        _logger.EffectiveOptions(_self, _options.ProbePeriod, _options.ProbeTimeout, _options.NumMissedProbesLimit, _options.NumProbedSilos,
            _options.NumVotesForDeathDeclaration, _options.TableRefreshPeriod, _options.IAmAlivePeriod);
        _work.Enter();
        try
        {
            await CallStoreAsync(ct => _table.InitializeAsync(ct), "Initialize", retry: true, token).ConfigureAwait(false);
            var table = await InsertOwnRowAsync(token).ConfigureAwait(false);
            _logger.Joining(_self, table.Version, table.Entries.Count(e => e.Status == SiloStatus.Active));
            await DeclarePreviousGenerationsDeadAsync(table, token).ConfigureAwait(false);
            await ValidateInitialConnectivityAsync(token).ConfigureAwait(false);
            if (!await WriteOwnStatusAsync(SiloStatus.Active, retryStore: true, token).ConfigureAwait(false))
            {
                throw new InvalidOperationException(Volatile.Read(ref _declaredDead) != 0
                    ? $"Silo {_self} was declared Dead while joining."
                    : $"Silo {_self} could not write Active: {MaxCasAttempts} version conflicts in a row.");
            }

            StartLoops();
            _logger.Joined(_self, _timeProvider.GetElapsedTime(started));
        }
        finally
        {
            _work.Exit();
        }
    }

    /// <summary>Writes ShuttingDown (placements stop; this silo keeps probing and voting until it leaves). A store
    /// failure or a write that does not finish within <see cref="GracefulWriteTimeout"/> is logged, not thrown.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _declaredDead) == 0 && !_leaving)
        {
            await TryWriteOwnStatusGracefullyAsync(SiloStatus.ShuttingDown, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes Dead for this silo (others then drop it at once instead of detecting it) and stops the loops.
    /// A store failure or a write that does not finish within <see cref="GracefulWriteTimeout"/> is logged, not thrown.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        // Set first: reading our own Dead row from now on is the expected outcome, not a death sentence.
        _leaving = true;
        StopTimers();
        if (Volatile.Read(ref _declaredDead) == 0)
        {
            await TryWriteOwnStatusGracefullyAsync(SiloStatus.Dead, cancellationToken).ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>Stops every loop without writing anything (the row stays as it is).</summary>
    public async ValueTask DisposeAsync()
    {
        StopTimers();
        await _stopping.CancelAsync().ConfigureAwait(false);
    }

    private async Task<MembershipTableSnapshot> InsertOwnRowAsync(CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var entry = new MembershipEntry
        {
            Silo = _self,
            Status = SiloStatus.Joining,
            SiloName = _identity.Name,
            HostName = Environment.MachineName,
            StartTime = now,
            IAmAliveTime = now,
        };

        for (var attempt = 1; attempt <= MaxCasAttempts; attempt++)
        {
            var table = await ReadTableAsync(retry: true, cancellationToken).ConfigureAwait(false);
            // Generations are unique per process, so an existing row is ours: an insert whose answer was lost.
            if (table.Find(_self) is not null
                || await CallStoreAsync(ct => _table.InsertRowAsync(entry, table.Version, ct), "InsertRow", retry: true, cancellationToken).ConfigureAwait(false))
            {
                return table;
            }

            _logger.WriteConflict(_self, table.Version, attempt);
        }

        throw new InvalidOperationException($"Silo {_self} could not insert its membership row: {MaxCasAttempts} version conflicts in a row.");
    }

    private async Task DeclarePreviousGenerationsDeadAsync(MembershipTableSnapshot table, CancellationToken cancellationToken)
    {
        // A restarted process on the same endpoint proves its earlier life is over; no votes needed.
        var previous = table.Entries
            .Where(e => e.Silo.IsSameEndpoint(_self) && e.Silo.Generation < _self.Generation && e.Status != SiloStatus.Dead)
            .Select(e => e.Silo)
            .ToList();
        foreach (var silo in previous)
        {
            _logger.PreviousGenerationDead(_self, silo);
            await UpdateRowAsync(
                silo,
                (_, row, _) => row.Status == SiloStatus.Dead ? null : row with { Status = SiloStatus.Dead },
                retryStore: true,
                cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ValidateInitialConnectivityAsync(CancellationToken cancellationToken)
    {
        var table = await ReadTableAsync(retry: true, cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        var pending = new List<SiloAddress>();
        foreach (var entry in table.Entries.Where(e => e.Status == SiloStatus.Active && !e.Silo.IsSameEndpoint(_self)))
        {
            if (entry.IsStale(_options, now))
            {
                // Left by a crash long ago (or a whole-cluster restart): waiting for it would block every restart.
                _logger.JoinSkipsStale(_self, entry.Silo, entry.EffectiveIAmAliveTime);
            }
            else
            {
                pending.Add(entry.Silo);
            }
        }

        var attempts = 0;
        while (pending.Count > 0 && attempts < _options.NumMissedProbesLimit)
        {
            if (attempts > 0)
            {
                await _work.WaitParkedAsync(null, _options.ProbePeriod, _timeProvider, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            attempts++;
            var results = await _work.ForkJoinAsync(pending
                .Select(silo => (Func<Task<(SiloAddress Silo, bool Answered)>>)(async () => (silo, await ProbeAsync(silo, cancellationToken).ConfigureAwait(false))))
                .ToList()).ConfigureAwait(false);
            pending = [.. results.Where(r => !r.Answered).Select(r => r.Silo)];
        }

        cancellationToken.ThrowIfCancellationRequested();
        foreach (var silo in pending)
        {
            _logger.JoinProbeFailed(_self, silo, attempts);
            lock (_lock)
            {
                // Seeded so that the first failed probe after Active votes with full weight at once.
                GetState(silo).Misses = attempts;
            }

            try
            {
                await VoteAsync(silo, joining: true, cancellationToken).ConfigureAwait(false);
            }
            catch (MembershipStoreException)
            {
                // Already logged as an outage; the vote is an accelerator, not a join precondition.
            }
        }

        PublishSuspected();
    }

    private async Task<bool> WriteOwnStatusAsync(SiloStatus status, bool retryStore, CancellationToken cancellationToken)
    {
        var written = await UpdateRowAsync(
            _self,
            (_, row, now) => row.Status == SiloStatus.Dead ? null : row with { Status = status, IAmAliveTime = now },
            retryStore,
            cancellationToken).ConfigureAwait(false);
        if (written)
        {
            _logger.OwnStatusWritten(_self, status);
        }

        return written;
    }

    private async Task TryWriteOwnStatusGracefullyAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        using var bound = new CancellationTokenSource(GracefulWriteTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        try
        {
            if (!await WriteOwnStatusAsync(status, retryStore: false, linked.Token).ConfigureAwait(false))
            {
                _logger.OwnStatusFailed(null, _self, status);
            }
        }
        catch (Exception exception) when (exception is MembershipStoreException || (exception is OperationCanceledException && bound.IsCancellationRequested))
        {
            _logger.OwnStatusFailed(exception, _self, status);
        }
    }

    private void StartLoops()
    {
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested || _leaving)
            {
                return;
            }

            _timers.Add(_timeProvider.CreateTimer(static s => ((MembershipAgent)s!).OnProbeTick(), this, _options.ProbePeriod, _options.ProbePeriod));
            _timers.Add(_timeProvider.CreateTimer(static s => ((MembershipAgent)s!).OnRefreshTick(), this, _options.TableRefreshPeriod, _options.TableRefreshPeriod));
            _timers.Add(_timeProvider.CreateTimer(static s => ((MembershipAgent)s!).OnIAmAliveTick(), this, _options.IAmAlivePeriod, _options.IAmAlivePeriod));
            _timers.Add(_timeProvider.CreateTimer(static s => ((MembershipAgent)s!).OnCleanupTick(), this, TimeSpan.Zero, DefunctCleanupPeriod));
        }
    }

    private void StopTimers()
    {
        lock (_lock)
        {
            foreach (var timer in _timers)
            {
                timer.Dispose();
            }

            _timers.Clear();
        }
    }

    private bool Running => !_stopping.IsCancellationRequested && !_leaving && Volatile.Read(ref _declaredDead) == 0;

    private void OnRefreshTick()
    {
        if (!Running || Interlocked.Exchange(ref _refreshRunning, 1) != 0)
        {
            return;
        }

        _work.Start(async () =>
        {
            try
            {
                await ReadTableAsync(retry: false, _stopping.Token).ConfigureAwait(false);
            }
            catch (MembershipStoreException)
            {
                // Recorded as an outage by the tracker; the next tick tries again.
            }
            finally
            {
                Volatile.Write(ref _refreshRunning, 0);
            }
        }, OnBackgroundFailure);
    }

    private void OnIAmAliveTick()
    {
        if (!Running || Interlocked.Exchange(ref _iAmAliveRunning, 1) != 0)
        {
            return;
        }

        _work.Start(async () =>
        {
            try
            {
                var now = _timeProvider.GetUtcNow();
                await CallStoreAsync(ct => _table.UpdateIAmAliveAsync(_self, now, ct), "UpdateIAmAlive", retry: false, _stopping.Token).ConfigureAwait(false);
            }
            catch (MembershipStoreException)
            {
                // Recorded as an outage; the heartbeat is written again at recovery and on the next tick.
            }
            finally
            {
                Volatile.Write(ref _iAmAliveRunning, 0);
            }
        }, OnBackgroundFailure);
    }

    private void OnCleanupTick()
    {
        if (!Running)
        {
            return;
        }

        _work.Start(async () =>
        {
            var olderThan = _timeProvider.GetUtcNow() - _options.DefunctSiloExpiration;
            try
            {
                await CallStoreAsync(ct => _table.CleanupDefunctEntriesAsync(olderThan, ct), "CleanupDefunctEntries", retry: false, _stopping.Token).ConfigureAwait(false);
                _logger.DefunctCleaned(olderThan);
            }
            catch (MembershipStoreException)
            {
                // Recorded as an outage; the next period tries again.
            }
        }, OnBackgroundFailure);
    }

    // Runs under the tracker's lock: only schedules work.
    private void OnStoreRecovered()
    {
        // The heartbeat stopped during the outage; write it now so peers do not count this silo as stale.
        if (Volatile.Read(ref _joinStarted) != 0)
        {
            OnIAmAliveTick();
        }
    }

    private void OnProbeTick()
    {
        if (!Running)
        {
            return;
        }

        var targets = SelectProbeTargets(_tracker.Current.Table, _timeProvider.GetUtcNow());
        var start = new List<SiloAddress>();
        lock (_lock)
        {
            foreach (var (silo, state) in _targets.ToList())
            {
                if (!targets.Contains(silo) && state.InFlight == 0 && !state.Voting)
                {
                    _targets.Remove(silo);
                }
            }

            foreach (var silo in targets)
            {
                var state = GetState(silo);
                if (state.InFlight < MaxProbesInFlight)
                {
                    state.InFlight++;
                    start.Add(silo);
                }
            }
        }

        PublishSuspected();
        foreach (var silo in start)
        {
            _work.Start(() => ProbeAndReactAsync(silo), OnBackgroundFailure);
        }
    }

    /// <summary>
    /// The silos to probe: the next <c>NumProbedSilos</c> functional silos after this one on the ring sorted by address
    /// text (everyone in small clusters), plus every functional silo that already has fresh votes (so suspects gather
    /// their votes from all monitors quickly) or a stale heartbeat (so corpses of a crash become Dead).
    /// </summary>
    internal HashSet<SiloAddress> SelectProbeTargets(MembershipTableSnapshot table, DateTimeOffset now)
    {
        var functional = table.Entries.Where(e => e.Status.IsFunctional() && e.Silo != _self).ToList();
        var ring = functional.Select(e => e.Silo).Append(_self).OrderBy(s => s.ToString(), StringComparer.Ordinal).ToList();
        var position = ring.IndexOf(_self);
        var targets = new HashSet<SiloAddress>();
        for (var step = 1; step < ring.Count && targets.Count < _options.NumProbedSilos; step++)
        {
            targets.Add(ring[(position + step) % ring.Count]);
        }

        foreach (var entry in functional)
        {
            if (entry.IsStale(_options, now) || entry.FreshVotes(_options, now).Count > 0)
            {
                targets.Add(entry.Silo);
            }
        }

        return targets;
    }

    private async Task ProbeAndReactAsync(SiloAddress target)
    {
        bool answered;
        try
        {
            answered = await ProbeAsync(target, _stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                if (_targets.TryGetValue(target, out var state))
                {
                    state.InFlight--;
                }
            }
        }

        if (!Running)
        {
            return;
        }

        int misses;
        int recoveredAfter = 0;
        var vote = false;
        lock (_lock)
        {
            if (!_targets.TryGetValue(target, out var state))
            {
                return;
            }

            if (answered)
            {
                recoveredAfter = state.Misses;
                state.Misses = 0;
            }
            else
            {
                state.Misses++;
                if (state.Misses >= _options.NumMissedProbesLimit && !state.Voting)
                {
                    state.Voting = true;
                    vote = true;
                }
            }

            misses = state.Misses;
        }

        if (answered && recoveredAfter > 0)
        {
            _logger.ProbeRecovered(target, recoveredAfter);
        }
        else if (!answered)
        {
            _logger.ProbeFailed(target, misses);
        }

        PublishSuspected();
        if (!vote)
        {
            return;
        }

        try
        {
            await VoteAsync(target, joining: false, _stopping.Token).ConfigureAwait(false);
        }
        catch (MembershipStoreException)
        {
            // No vote can be written during an outage; the next missed probe tries again.
        }
        finally
        {
            lock (_lock)
            {
                if (_targets.TryGetValue(target, out var state))
                {
                    state.Voting = false;
                }
            }
        }
    }

    /// <summary>One probe bounded by <c>ProbeTimeout</c> on the injected clock (the prober is also told the timeout and
    /// may fail sooner, e.g. on a refused connection). Never throws; false means no answer.</summary>
    private async Task<bool> ProbeAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        using var probeCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<bool> probe;
        try
        {
            probe = _prober.ProbeAsync(target, _options.ProbeTimeout, probeCancellation.Token);
        }
#pragma warning disable CA1031 // The prober contract says it never throws; if one does, that is a failed probe.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }

        if (!await _work.WaitParkedAsync(probe, _options.ProbeTimeout, _timeProvider, cancellationToken).ConfigureAwait(false))
        {
            // Timed out: tell the prober to give up; a late answer is ignored.
            await probeCancellation.CancelAsync().ConfigureAwait(false);
            return false;
        }

        return probe.IsCompletedSuccessfully && probe.Result;
    }

    private async Task VoteAsync(SiloAddress target, bool joining, CancellationToken cancellationToken)
    {
        var decision = SiloStatus.None;
        var votes = 0;
        var required = 0;
        var written = await UpdateRowAsync(target, (table, row, now) =>
        {
            decision = SiloStatus.None;
            if (!row.Status.IsFunctional())
            {
                return null;
            }

            var me = table.Find(_self);
            if (!joining && (me is null || !me.Status.IsFunctional() || !StillFailing(target)))
            {
                return null;
            }

            var fresh = row.FreshVotes(_options, now, except: _self);
            fresh.Add(new SuspectVote(_self, now));
            votes = fresh.Count;
            required = RequiredVotes(table, target, now);
            if (!joining && votes >= required)
            {
                decision = SiloStatus.Dead;
                return row with { Status = SiloStatus.Dead, SuspectTimes = fresh };
            }

            // Our vote already counts and is far from expiring: rewriting it would only cause conflicts.
            var mine = row.SuspectTimes.FirstOrDefault(v => v.Voter == _self);
            if (mine is not null && now - mine.Time < _options.DeathVoteExpirationTimeout / 2)
            {
                return null;
            }

            decision = SiloStatus.Active;
            return row with { SuspectTimes = fresh };
        }, retryStore: false, cancellationToken).ConfigureAwait(false);

        if (written && decision == SiloStatus.Dead)
        {
            _logger.DeclaredDead(_self, target, votes, required);
        }
        else if (written && decision == SiloStatus.Active)
        {
            _logger.VotedSuspect(_self, target, votes, required);
        }
    }

    private bool StillFailing(SiloAddress target)
    {
        lock (_lock)
        {
            return _targets.TryGetValue(target, out var state) && state.Misses >= _options.NumMissedProbesLimit;
        }
    }

    /// <summary>Votes needed to declare <paramref name="target"/> dead: the configured number, capped by the live
    /// Active silos other than the target (this silo always counts as live), at least 1.</summary>
    private int RequiredVotes(MembershipTableSnapshot table, SiloAddress target, DateTimeOffset now)
    {
        var voters = table.Entries.Count(e => e.Silo != target && e.Status == SiloStatus.Active && (e.Silo == _self || !e.IsStale(_options, now)));
        return Math.Max(1, Math.Min(_options.NumVotesForDeathDeclaration, voters));
    }

    /// <summary>Read-modify-write of one row under the table version, re-read and retried on conflict up to
    /// <see cref="MaxCasAttempts"/> times. <paramref name="change"/> returns null when nothing needs writing.
    /// True if a write succeeded (the view is then refreshed at once).</summary>
    private async Task<bool> UpdateRowAsync(
        SiloAddress silo,
        Func<MembershipTableSnapshot, MembershipEntry, DateTimeOffset, MembershipEntry?> change,
        bool retryStore,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxCasAttempts; attempt++)
        {
            var table = await ReadTableAsync(retryStore, cancellationToken).ConfigureAwait(false);
            if (table.Find(silo) is not { } row || change(table, row, _timeProvider.GetUtcNow()) is not { } updated)
            {
                return false;
            }

            if (await CallStoreAsync(ct => _table.UpdateRowAsync(updated, table.Version, ct), "UpdateRow", retryStore, cancellationToken).ConfigureAwait(false))
            {
                await ReadTableAsync(retryStore, cancellationToken).ConfigureAwait(false);
                return true;
            }

            _logger.WriteConflict(silo, table.Version, attempt);
        }

        _logger.WriteGaveUp(silo, MaxCasAttempts);
        return false;
    }

    private async Task<MembershipTableSnapshot> ReadTableAsync(bool retry, CancellationToken cancellationToken)
    {
        var table = await CallStoreAsync(ct => _table.ReadAllAsync(ct), "ReadAll", retry, cancellationToken).ConfigureAwait(false);
        HashSet<SiloAddress> suspected;
        lock (_lock)
        {
            // A silo the table says is Dead is settled: stop counting misses against it.
            foreach (var entry in table.Entries.Where(e => e.Status == SiloStatus.Dead && _targets.ContainsKey(e.Silo)))
            {
                if (_targets[entry.Silo] is { InFlight: 0, Voting: false })
                {
                    _targets.Remove(entry.Silo);
                }
            }

            suspected = SuspectedLocked(table);
        }

        _tracker.Publish(table, suspected);
        if (table.Find(_self) is { Status: SiloStatus.Dead } own && !_leaving)
        {
            OnDeclaredDead(own);
        }

        return table;
    }

    private void PublishSuspected()
    {
        HashSet<SiloAddress> suspected;
        lock (_lock)
        {
            suspected = SuspectedLocked(_tracker.Current.Table);
        }

        _tracker.Publish(null, suspected);
    }

    private HashSet<SiloAddress> SuspectedLocked(MembershipTableSnapshot table)
        => [.. _targets.Where(t => t.Value.Misses > 0 && table.Find(t.Key)?.Status != SiloStatus.Dead).Select(t => t.Key)];

    private ProbeTargetState GetState(SiloAddress silo)
    {
        if (!_targets.TryGetValue(silo, out var state))
        {
            state = new ProbeTargetState();
            _targets[silo] = state;
        }

        return state;
    }

    private void OnDeclaredDead(MembershipEntry own)
    {
        if (Interlocked.Exchange(ref _declaredDead, 1) != 0)
        {
            return;
        }

        var votes = string.Join(", ", own.SuspectTimes.Select(v => $"{v.Voter} at {v.Time:O}"));
        _logger.OwnRowDead(_self, votes);
        StopTimers();
        _stopping.Cancel();
        var handlers = DeclaredDeadLocally;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<string>>())
        {
            try
            {
                handler($"Silo {_self} was declared Dead by the cluster (votes: {votes}).");
            }
#pragma warning disable CA1031 // The process is going down anyway; a faulty handler must not hide the others.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _logger.HandlerFailed(exception);
            }
        }
    }

    private async Task<T> CallStoreAsync<T>(Func<CancellationToken, Task<T>> call, string operation, bool retry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _tracker.CallStoreAsync(call, operation, cancellationToken).ConfigureAwait(false);
            }
            catch (MembershipStoreException exception) when (retry && attempt < MaxJoinStoreAttempts)
            {
                _logger.JoinStoreRetry(exception.InnerException ?? exception, operation, attempt, MaxJoinStoreAttempts, _self);
                await _work.WaitParkedAsync(null, _options.TableRefreshPeriod, _timeProvider, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private Task CallStoreAsync(Func<CancellationToken, Task> call, string operation, bool retry, CancellationToken cancellationToken)
        => CallStoreAsync(async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        }, operation, retry, cancellationToken);

    private void OnBackgroundFailure(Exception exception)
    {
        if (exception is OperationCanceledException && _stopping.IsCancellationRequested)
        {
            return;
        }

        _logger.BackgroundFailed(exception);
    }
}
