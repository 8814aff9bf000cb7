namespace Switchboard.TestInfrastructure;

/// <summary>Waits on conditions instead of sleeping. The timeout is real time and only bounds a failing test;
/// all timing under test runs on fake time.</summary>
public static class TestWait
{
    /// <summary>Default bound for waits: generous, because the machine is shared.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="expectation"/> and, if given,
    /// the actual state from <paramref name="describeActual"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string expectation, Func<string>? describeActual = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? DefaultTimeout;
        var started = DateTime.UtcNow;
        while (!condition())
        {
            if (DateTime.UtcNow - started > limit)
            {
                var actual = describeActual is null ? string.Empty : $" Actual: {describeActual()}.";
                throw new TimeoutException($"Timed out after {limit} waiting until {expectation}.{actual}");
            }

            await Task.Delay(2).ConfigureAwait(false);
        }
    }

    /// <summary>Polls the asynchronous <paramref name="condition"/> (a grain query, say) until it holds; fails naming
    /// <paramref name="expectation"/> and, if given, the actual state from <paramref name="describeActual"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string expectation, Func<string>? describeActual = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? DefaultTimeout;
        var started = DateTime.UtcNow;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow - started > limit)
            {
                var actual = describeActual is null ? string.Empty : $" Actual: {describeActual()}.";
                throw new TimeoutException($"Timed out after {limit} waiting until {expectation}.{actual}");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <summary>Awaits <paramref name="task"/>, failing with a message naming <paramref name="what"/> if it does not complete in time.</summary>
    public static async Task<T> CompletesAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.WaitAsync(timeout ?? DefaultTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Timed out after {timeout ?? DefaultTimeout} waiting for {what} to complete.");
        }
    }

    /// <summary>Awaits <paramref name="task"/>, failing with a message naming <paramref name="what"/> if it does not complete in time.</summary>
    public static async Task CompletesAsync(Task task, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.WaitAsync(timeout ?? DefaultTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Timed out after {timeout ?? DefaultTimeout} waiting for {what} to complete.");
        }
    }
}
