using Switchboard.Runtime.GrainDirectory;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Messaging;

namespace Switchboard.Runtime.Core;

/// <summary>What a cluster silo's catalog and activations need from routing; absent in embedded mode.</summary>
internal interface IClusterRouting
{
    /// <summary>This silo.</summary>
    SiloAddress LocalSilo { get; }

    /// <summary>The cluster's grain directory: activations register in it before they serve.</summary>
    IGrainDirectory Directory { get; }

    /// <summary>Status of <paramref name="silo"/> in this node's membership view.</summary>
    SiloStatus GetStatus(SiloAddress silo);

    /// <summary>Sends a message this silo must not serve onward: to <paramref name="destination"/> when given (the
    /// registered activation), otherwise wherever the directory or placement says, never back to this silo while it
    /// is shutting down.</summary>
    void Forward(Message message, SiloAddress? destination);
}
