namespace Switchboard.Runtime.Configuration;

/// <summary>TCP transport between cluster nodes (configuration section <c>Networking</c>).</summary>
public sealed class NetworkingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Networking";

    /// <summary>Default of <see cref="MaxFrameBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxFrameBytes = 1024 * 1024;

    /// <summary>Smallest accepted <see cref="MaxFrameBytes"/>: 1 KiB (a handshake and a small message must fit).</summary>
    public const int MinMaxFrameBytes = 1024;

    /// <summary>Largest accepted <see cref="MaxFrameBytes"/>: 64 MiB (a peer may make us buffer this much).</summary>
    public const int MaxMaxFrameBytes = 64 * 1024 * 1024;

    /// <summary>Default of <see cref="SendQueueCapacity"/>: 10,000 messages.</summary>
    public const int DefaultSendQueueCapacity = 10_000;

    /// <summary>Default of <see cref="ConnectTimeout"/>: 2 seconds.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Default of <see cref="ReconnectBackoff"/>: 250 milliseconds.</summary>
    public static readonly TimeSpan DefaultReconnectBackoff = TimeSpan.FromMilliseconds(250);

    /// <summary>Largest frame (type byte + payload, excluding the 4-byte length) sent or accepted. A message that
    /// would exceed it is refused at send time; a peer announcing a larger frame is cut off as a protocol error.
    /// Default 1 MiB.</summary>
    public int MaxFrameBytes { get; set; } = DefaultMaxFrameBytes;

    /// <summary>Bound on TCP connect plus handshake; a peer that does not complete both in time counts as unreachable.
    /// Default 2 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>Messages queued per connection before sends to that node are refused (backpressure). Default 10,000.</summary>
    public int SendQueueCapacity { get; set; } = DefaultSendQueueCapacity;

    /// <summary>After a failed connect to a node, sends to it are refused for this long instead of dialling again.
    /// Default 250 ms.</summary>
    public TimeSpan ReconnectBackoff { get; set; } = DefaultReconnectBackoff;
}
