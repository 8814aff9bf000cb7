namespace Switchboard.Runtime.Storage;

/// <summary>Grain storage refused a call without trying the database: its circuit is open after consecutive connection
/// failures (<see cref="StoreCircuitBreaker"/>). Transient by definition; the message says when the next attempt is.</summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public StoreUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException() { }
}
