namespace Switchboard.Runtime.Networking;

/// <summary>Which cluster nodes this node currently holds a live connection to (read side for health reporting).</summary>
public interface IClusterConnectivity
{
    /// <summary>True while a handshaken connection to <paramref name="nodeId"/> (a silo address text or client id) is open.</summary>
    bool IsConnected(string nodeId);
}
