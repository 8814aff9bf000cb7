namespace Switchboard.Runtime.Networking;

/// <summary>Malformed, unexpected or oversized data from a peer. The frame decoder throws only this type for bad input,
/// so a connection can tell a misbehaving peer (close it, log why) from a bug in this process.</summary>
internal sealed class ProtocolException : Exception
{
    public ProtocolException(string message) : base(message) { }

    public ProtocolException(string message, Exception innerException) : base(message, innerException) { }

    public ProtocolException() { }
}
