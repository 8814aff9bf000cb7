namespace Switchboard.Runtime.Serialization;

/// <summary>Malformed or unsupported serialized data. Decoders throw only this type for bad input, so the
/// transport can turn it into a defined rejection instead of a crash.</summary>
public sealed class CodecException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CodecException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public CodecException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    public CodecException() { }
}
