namespace Switchboard.Runtime;

/// <summary>The silo or client that hosts the target is gone (declared dead, or its connection broke).
/// Pending calls fail with this at once rather than by timeout.</summary>
public sealed class SiloUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SiloUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public SiloUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public SiloUnavailableException() { }
}
