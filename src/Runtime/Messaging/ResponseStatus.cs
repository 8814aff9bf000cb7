namespace Switchboard.Runtime.Messaging;

/// <summary>Outcome carried by a response message.</summary>
internal enum ResponseStatus : byte
{
    /// <summary>The body is the serialized result.</summary>
    Ok = 0,
    /// <summary>The grain method threw; the body is the exception written by <c>ExceptionCodec</c>.</summary>
    Exception = 1,
    /// <summary>The runtime refused the message (unknown grain type, unknown observer, shutting down); the body is an
    /// exception written by <c>ExceptionCodec</c>. The grain method never ran.</summary>
    Rejected = 2,
}
