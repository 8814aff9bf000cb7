using Microsoft.Extensions.Logging;

namespace Switchboard.Runtime.Membership;

/// <summary>
/// The published membership view of one node (shared by the silo agent and the client reader): turns table reads,
/// local suspicions and store call outcomes into <see cref="ClusterMembershipSnapshot"/>s and raises the events.
/// </summary>
/// <remarks>
/// Invariants: a snapshot never goes back to an older table version (a slow read finishing after a newer one is
/// dropped); <see cref="SnapshotChanged"/> fires only when the version, the suspected set or reachability changed
/// (the snapshot itself is also replaced when only heartbeat times moved); <see cref="SiloDeclaredDead"/> fires once
/// per silo the first time this node sees its row Dead, including rows already Dead at the first read (so state
/// left by silos that died while this node was down is cleaned too). Events are raised under the lock, so handlers
/// see them in order; they must be quick and must not throw (a throwing handler is logged and skipped).
/// </remarks>
internal sealed class MembershipSnapshotTracker
{
    private readonly Lock _lock = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SiloAddress? _self;
    private readonly Action? _onStoreRecovered;
    private ClusterMembershipSnapshot _current = ClusterMembershipSnapshot.Initial;
    private HashSet<SiloAddress> _knownDead = [];
    private DateTimeOffset? _unreachableSince;

    /// <summary>Creates a tracker for the node <paramref name="self"/> (null for a client); <paramref name="onStoreRecovered"/>
    /// runs (under the lock, so it must only schedule work) when a store call succeeds after an outage.</summary>
    public MembershipSnapshotTracker(ILogger logger, TimeProvider timeProvider, SiloAddress? self, Action? onStoreRecovered = null)
    {
        _logger = logger;
        _timeProvider = timeProvider;
        _self = self;
        _onStoreRecovered = onStoreRecovered;
    }

    /// <summary>The latest view.</summary>
    public ClusterMembershipSnapshot Current => Volatile.Read(ref _current);

    /// <summary>See <see cref="IClusterMembershipService.SnapshotChanged"/>.</summary>
    public event Action<ClusterMembershipSnapshot>? SnapshotChanged;

    /// <summary>Raised once per silo (other than this node) first seen Dead.</summary>
    public event Action<SiloAddress>? SiloDeclaredDead;

    /// <summary>Runs one store call: a success marks the store reachable, a failure marks it unreachable (logged once
    /// per outage) and is rethrown as <see cref="MembershipStoreException"/>. Cancellation of
    /// <paramref name="cancellationToken"/> propagates unchanged and says nothing about the store.</summary>
    public async Task<T> CallStoreAsync<T>(Func<CancellationToken, Task<T>> call, string operation, CancellationToken cancellationToken)
    {
        T result;
        try
        {
            result = await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            OnStoreFailure(exception, operation);
            throw new MembershipStoreException($"Membership store call {operation} failed: {exception.Message}", exception);
        }

        OnStoreSuccess();
        return result;
    }

    /// <summary><see cref="CallStoreAsync{T}"/> for calls without a result.</summary>
    public Task CallStoreAsync(Func<CancellationToken, Task> call, string operation, CancellationToken cancellationToken)
        => CallStoreAsync(async ct =>
        {
            await call(ct).ConfigureAwait(false);
            return true;
        }, operation, cancellationToken);

    /// <summary>Publishes a fresh table read and/or a new suspected set (null: unchanged).</summary>
    public void Publish(MembershipTableSnapshot? table, IReadOnlySet<SiloAddress>? suspected)
    {
        lock (_lock)
        {
            var current = _current;
            var firstRead = current.ReadAt == DateTimeOffset.MinValue && table is not null;
            var changed = firstRead;
            if (table is not null && table.Version < current.Table.Version)
            {
                table = null;
            }

            if (table is not null)
            {
                changed |= table.Version != current.Table.Version;
            }

            if (suspected is not null)
            {
                changed |= !suspected.SetEquals(current.Suspected);
            }

            if (table is null && !changed)
            {
                return;
            }

            var next = current with
            {
                Table = table ?? current.Table,
                Suspected = suspected ?? current.Suspected,
                ReadAt = table is null ? current.ReadAt : _timeProvider.GetUtcNow(),
            };
            Volatile.Write(ref _current, next);
            if (table is not null)
            {
                RaiseNewlyDead(table);
            }

            if (changed)
            {
                RaiseChanged(next);
            }
        }
    }

    private void OnStoreFailure(Exception exception, string operation)
    {
        lock (_lock)
        {
            if (_unreachableSince is not null)
            {
                return;
            }

            _unreachableSince = _timeProvider.GetUtcNow();
            _logger.StoreUnreachable(exception, operation);
            var next = _current with { StoreReachable = false };
            Volatile.Write(ref _current, next);
            RaiseChanged(next);
        }
    }

    private void OnStoreSuccess()
    {
        if (Volatile.Read(ref _current).StoreReachable)
        {
            return;
        }

        lock (_lock)
        {
            if (_unreachableSince is not { } since)
            {
                return;
            }

            _unreachableSince = null;
            _logger.StoreRecovered(_timeProvider.GetUtcNow() - since);
            var next = _current with { StoreReachable = true };
            Volatile.Write(ref _current, next);
            RaiseChanged(next);
            _onStoreRecovered?.Invoke();
        }
    }

    private void RaiseNewlyDead(MembershipTableSnapshot table)
    {
        var dead = new HashSet<SiloAddress>();
        foreach (var entry in table.Entries)
        {
            if (entry.Status != SiloStatus.Dead || entry.Silo == _self)
            {
                continue;
            }

            dead.Add(entry.Silo);
            if (!_knownDead.Contains(entry.Silo))
            {
                _logger.SiloSeenDead(entry.Silo, table.Version);
                Invoke(SiloDeclaredDead, entry.Silo);
            }
        }

        // Rows deleted by defunct cleanup leave the set too; a deleted identity never comes back.
        _knownDead = dead;
    }

    private void RaiseChanged(ClusterMembershipSnapshot snapshot)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.SnapshotChanged(snapshot.Version, snapshot.ActiveSilos.Count, snapshot.Suspected.Count, snapshot.StoreReachable);
        }

        Invoke(SnapshotChanged, snapshot);
    }

    private void Invoke<T>(Action<T>? handlers, T argument)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<T>>())
        {
            try
            {
                handler(argument);
            }
#pragma warning disable CA1031 // A faulty subscriber must not stop membership from publishing to the others.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _logger.HandlerFailed(exception);
            }
        }
    }
}
