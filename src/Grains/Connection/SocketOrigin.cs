namespace Switchboard.Grains.Connection;

/// <summary>Where a <c>start</c> came from: the gateway, its socket (inbound delivery numbers are scoped by it) and the
/// socket's peer address (kept so a refused second socket can be logged beside the holder).</summary>
internal sealed record SocketOrigin(string GatewayId, string SocketId, string? RemoteAddress = null);
