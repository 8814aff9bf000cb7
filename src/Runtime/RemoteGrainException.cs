namespace Switchboard.Runtime;

/// <summary>
/// A grain method threw an exception whose type the caller's side cannot rebuild. Carries the original type name,
/// message and the remote stack trace.
/// </summary>
public sealed class RemoteGrainException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteGrainException(string originalTypeName, string message, string? remoteStackTrace)
        : base(message)
    {
        OriginalTypeName = originalTypeName;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>Creates the exception.</summary>
    public RemoteGrainException() : this("unknown", "Remote grain exception.", null) { }

    /// <summary>Creates the exception.</summary>
    public RemoteGrainException(string message) : this("unknown", message, null) { }

    /// <summary>Creates the exception.</summary>
    public RemoteGrainException(string message, Exception innerException) : base(message, innerException)
    {
        OriginalTypeName = "unknown";
    }

    /// <summary>Full name of the exception type thrown by the grain.</summary>
    public string OriginalTypeName { get; }

    /// <summary>Stack trace captured where the exception was thrown; null if none.</summary>
    public string? RemoteStackTrace { get; }

    /// <inheritdoc />
    public override string ToString() => $"{OriginalTypeName}: {Message} (remote){Environment.NewLine}{RemoteStackTrace}";
}
