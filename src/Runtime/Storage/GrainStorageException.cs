namespace Switchboard.Runtime.Storage;

/// <summary>Reading, writing or clearing a grain's state failed in the store (unreachable, timed out, corrupt data);
/// the message names the grain and the state. Lost optimistic-concurrency races are <see cref="InconsistentStateException"/> instead.</summary>
public sealed class GrainStorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GrainStorageException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public GrainStorageException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public GrainStorageException() { }
}
