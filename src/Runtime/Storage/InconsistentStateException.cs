namespace Switchboard.Runtime.Storage;

/// <summary>A state write lost an optimistic-concurrency race: someone else wrote since this activation read.</summary>
public sealed class InconsistentStateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InconsistentStateException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public InconsistentStateException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public InconsistentStateException() { }
}
