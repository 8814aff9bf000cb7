namespace Switchboard.Runtime.Networking;

/// <summary>Which side opened a connection.</summary>
internal enum ConnectionDirection
{
    /// <summary>This node dialled the peer (a silo address).</summary>
    Outbound,

    /// <summary>The peer dialled this silo's listener.</summary>
    Inbound,
}
