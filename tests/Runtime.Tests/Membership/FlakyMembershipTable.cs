using System.Collections.Concurrent;
using Switchboard.Runtime.Membership;

namespace Switchboard.Runtime.Tests.Membership;

/// <summary>
/// Wraps a table: throws like an unreachable store while <see cref="Down"/>, records every row write, and can run a
/// competing write just before the next update (a CAS race).
/// </summary>
internal sealed class FlakyMembershipTable(IMembershipTable inner) : IMembershipTable
{
    private Func<Task>? _beforeNextUpdate;
    private Func<Task>? _beforeNextInsert;
    private int _failedCalls;
    private int _rejectedWrites;

    /// <summary>While true every call throws <see cref="IOException"/>.</summary>
    public bool Down { get; set; }

    /// <summary>Calls that threw because the store was down.</summary>
    public int FailedCalls => Volatile.Read(ref _failedCalls);

    /// <summary>Inserts and updates that returned false (version conflicts).</summary>
    public int RejectedWrites => Volatile.Read(ref _rejectedWrites);

    /// <summary>Every accepted row write, in order: (operation, row).</summary>
    public ConcurrentQueue<(string Operation, MembershipEntry Entry)> Writes { get; } = new();

    /// <summary>Runs <paramref name="competingWrite"/> once, just before the next update reaches the table.</summary>
    public void BeforeNextUpdate(Func<Task> competingWrite) => _beforeNextUpdate = competingWrite;

    /// <summary>Runs <paramref name="competingWrite"/> once, just before the next insert reaches the table.</summary>
    public void BeforeNextInsert(Func<Task> competingWrite) => _beforeNextInsert = competingWrite;

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.InitializeAsync(cancellationToken);
    }

    public Task<MembershipTableSnapshot> ReadAllAsync(CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.ReadAllAsync(cancellationToken);
    }

    public async Task<bool> InsertRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        if (Interlocked.Exchange(ref _beforeNextInsert, null) is { } competing)
        {
            await competing();
        }

        return Record("Insert", entry, await inner.InsertRowAsync(entry, expectedVersion, cancellationToken));
    }

    public async Task<bool> UpdateRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        if (Interlocked.Exchange(ref _beforeNextUpdate, null) is { } competing)
        {
            await competing();
        }

        return Record("Update", entry, await inner.UpdateRowAsync(entry, expectedVersion, cancellationToken));
    }

    public Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset time, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.UpdateIAmAliveAsync(silo, time, cancellationToken);
    }

    public Task CleanupDefunctEntriesAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.CleanupDefunctEntriesAsync(olderThan, cancellationToken);
    }

    private bool Record(string operation, MembershipEntry entry, bool accepted)
    {
        if (accepted)
        {
            Writes.Enqueue((operation, entry));
        }
        else
        {
            Interlocked.Increment(ref _rejectedWrites);
        }

        return accepted;
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            Interlocked.Increment(ref _failedCalls);
            throw new IOException("membership store is down (test)");
        }
    }
}
