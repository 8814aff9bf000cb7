namespace Switchboard.Runtime.Networking;

/// <summary>Payload of a <see cref="FrameType.Hello"/> frame. When <see cref="ProtocolVersion"/> is not one this build
/// understands, only the version is decoded (the rest may have another layout) and the other fields are empty.</summary>
/// <param name="ProtocolVersion">Wire protocol version of the connecting side.</param>
/// <param name="ClusterId">Cluster id of the connecting side.</param>
/// <param name="NodeId">Node id (<see cref="Messaging.SiloIdentity.Id"/>) of the connecting side.</param>
/// <param name="IsClient">True when the connecting side is a cluster client (it never accepts connections).</param>
internal sealed record HelloFrame(int ProtocolVersion, string ClusterId, string NodeId, bool IsClient);
