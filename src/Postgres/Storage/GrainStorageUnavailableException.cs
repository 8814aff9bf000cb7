using Orleans.Runtime;

namespace Switchboard.Postgres.Storage;

/// <summary>
/// A grain storage call refused without trying the database: the storage's circuit breaker is open after repeated
/// failures to reach PostgreSQL (<see cref="CircuitBreakingGrainStorage"/>). Transient: the message says when the next
/// attempt is allowed.
/// </summary>
/// <remarks>
/// An <see cref="OrleansException"/> so that Orleans' state bridge passes it to the grain as it is (it wraps anything
/// else); deliberately not an <see cref="Orleans.Storage.InconsistentStateException"/>, which means "another activation
/// wrote" and makes the connection grain step down, nor an <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class GrainStorageUnavailableException : OrleansException
{
    /// <summary>Creates the exception.</summary>
    public GrainStorageUnavailableException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public GrainStorageUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public GrainStorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for storage <paramref name="storageName"/>.</summary>
    public GrainStorageUnavailableException(string storageName, TimeSpan? retryAfter, Exception innerException)
        : base(Describe(storageName, retryAfter, innerException), innerException)
    {
        StorageName = storageName;
        RetryAfter = retryAfter;
    }

    /// <summary>The grain storage provider's name (<c>[PersistentState(stateName, storageName)]</c>).</summary>
    public string? StorageName { get; }

    /// <summary>When the breaker lets the next probe through, if known (not while a probe is in flight).</summary>
    public TimeSpan? RetryAfter { get; }

    private static string Describe(string storageName, TimeSpan? retryAfter, Exception innerException)
    {
        var cause = innerException.InnerException is { } breaking ? $" (last: {breaking.GetType().Name}: {breaking.Message})" : "";
        var next = retryAfter is { } wait && wait > TimeSpan.Zero
            ? $"the next attempt is allowed in {wait.TotalMilliseconds:0} ms"
            : "a probe is in flight or due";
        return $"Grain storage '{storageName}' is unavailable: its circuit breaker is open after repeated failures to reach the database{cause}; "
            + $"calls fail without trying the database, {next}.";
    }
}
