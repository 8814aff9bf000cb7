namespace Switchboard.Runtime.Membership;

/// <summary>
/// Counts membership background work that can still make progress without the clock moving, so tests on fake time
/// can tell when a component is quiescent (<see cref="Pending"/> is 0) before they advance the clock again.
/// </summary>
/// <remarks>
/// Work that waits on the clock (a probe timeout, a retry delay) is parked by <see cref="WaitParkedAsync"/>: it stops
/// counting while it waits and counts again, synchronously, in whatever callback resumes it (the timer, the awaited
/// task or cancellation), so there is no moment where resumed work is queued but uncounted.
/// </remarks>
internal sealed class WorkTracker
{
    private int _pending;

    /// <summary>Work items running or resumable right now.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Counts the caller's own work (until <see cref="Exit"/>), e.g. an awaited join.</summary>
    public void Enter() => Interlocked.Increment(ref _pending);

    /// <summary>Ends what <see cref="Enter"/> started.</summary>
    public void Exit() => Interlocked.Decrement(ref _pending);

    /// <summary>Starts <paramref name="work"/> in the background, counted until it ends. It is counted before this
    /// method returns, so a timer callback that calls it leaves the work visible to a quiescence check.</summary>
    public void Start(Func<Task> work, Action<Exception> onFailure)
    {
        Interlocked.Increment(ref _pending);
        _ = RunAsync(work, onFailure);
    }

    /// <summary>Waits until <paramref name="task"/> (if any) completes, <paramref name="timeout"/> passes on
    /// <paramref name="timeProvider"/> or <paramref name="cancellationToken"/> is cancelled; parked meanwhile. Must be
    /// called from counted work. True if the task completed first.</summary>
    public async Task<bool> WaitParkedAsync(Task? task, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (task is { IsCompleted: true })
        {
            return true;
        }

        // Continuations run asynchronously so resumed work never runs inside a timer callback or the prober's thread.
        var resumed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var once = 0;
        void Resume(bool completed)
        {
            if (Interlocked.Exchange(ref once, 1) == 0)
            {
                Interlocked.Increment(ref _pending);
                resumed.SetResult(completed);
            }
        }

        using var timer = timeProvider.CreateTimer(static state => ((Action<bool>)state!)(false), (Action<bool>)Resume, timeout, Timeout.InfiniteTimeSpan);
        using var registration = cancellationToken.Register(static state => ((Action<bool>)state!)(false), (Action<bool>)Resume);
        _ = task?.ContinueWith(static (_, state) => ((Action<bool>)state!)(true), (Action<bool>)Resume, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // Parked: if a resumer already ran, it counted again first, so the count never drops below the truth.
        Interlocked.Decrement(ref _pending);
        return await resumed.Task.ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="branches"/> in parallel from counted work and waits for all of them. The caller is
    /// parked while it waits; the last branch to finish hands its count back to the caller instead of releasing it,
    /// so the count never drops to 0 between the branches ending and the caller resuming. Rethrows the first branch
    /// failure after all have ended.</summary>
    public async Task<T[]> ForkJoinAsync<T>(IReadOnlyList<Func<Task<T>>> branches)
    {
        ArgumentNullException.ThrowIfNull(branches);
        if (branches.Count == 0)
        {
            return [];
        }

        var results = new T[branches.Count];
        var remaining = branches.Count;
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Exception? failure = null;

        async Task RunBranchAsync(int index)
        {
            try
            {
                results[index] = await branches[index]().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Rethrown to the caller after the join.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref failure, exception, null);
            }
            finally
            {
                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    joined.SetResult();
                }
                else
                {
                    Interlocked.Decrement(ref _pending);
                }
            }
        }

        for (var index = 0; index < branches.Count; index++)
        {
            Interlocked.Increment(ref _pending);
            _ = RunBranchAsync(index);
        }

        Interlocked.Decrement(ref _pending);
        await joined.Task.ConfigureAwait(false);
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return results;
    }

    private async Task RunAsync(Func<Task> work, Action<Exception> onFailure)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Background work must never fault unobserved; the owner decides how to log it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            onFailure(exception);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }
}
