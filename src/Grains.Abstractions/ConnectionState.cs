namespace Switchboard.Grains;

/// <summary>Life cycle of one media stream session: CONNECTING → CONNECTED → (RECONNECTING) → DISCONNECTED | FAILED.</summary>
[GenerateSerializer]
[Alias("sb.ConnectionState")]
public enum ConnectionState
{
    /// <summary>Socket open, <c>start</c> not yet processed.</summary>
    Connecting,
    /// <summary><c>start</c> processed; media flowing.</summary>
    Connected,
    /// <summary>The gateway holding the socket lost its grain (or the grain its gateway) and is re-attaching.</summary>
    Reconnecting,
    /// <summary>Ended normally (<c>stop</c> or an orderly close by either side).</summary>
    Disconnected,
    /// <summary>Ended by an error, including a heartbeat timeout (see <see cref="ConnectionErrorCode"/>).</summary>
    Failed,
}
