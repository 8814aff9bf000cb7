using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Messaging;

namespace Switchboard.Runtime.Core;

/// <summary>What routing needs from the cluster transport (implemented by <c>Networking.ConnectionManager</c>).</summary>
internal interface IClusterConnections : ISiloProber
{
    /// <summary>Queues <paramref name="message"/> for node <paramref name="nodeId"/>; false (never throws, never blocks)
    /// when the node cannot be reached now: no connection to a client, a node marked dead, a failed connect, a full queue.</summary>
    bool TrySend(string nodeId, Message message);

    /// <summary>Raised at once when the connection to a node is lost (or a connect attempt failed).</summary>
    event Action<string>? PeerDisconnected;

    /// <summary>Raised for a message that arrived addressed to another node id (the sender's view was stale, e.g. it
    /// addressed a previous generation of this endpoint); it was not delivered.</summary>
    event Action<Message>? MessageMisrouted;

    /// <summary>Death by fiat: closes the silo's connections and refuses it from now on.</summary>
    void MarkDead(SiloAddress silo);
}
