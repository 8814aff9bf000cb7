namespace Switchboard.Grains;

/// <summary>Error codes from the design (shared/design.md, "Connection states").</summary>
[GenerateSerializer]
[Alias("sb.ConnectionErrorCode")]
public enum ConnectionErrorCode
{
    /// <summary>No error.</summary>
    None,
    /// <summary>No inbound audio within the heartbeat limit.</summary>
    ConnectionTimeout,
    /// <summary>The socket broke without a close handshake.</summary>
    NetworkFailure,
    /// <summary>Signature, origin or token check failed.</summary>
    AuthFailure,
    /// <summary>A server-side fault.</summary>
    ServerError,
    /// <summary>Inbound messages over the connection's rate limit.</summary>
    RateLimit,
}
