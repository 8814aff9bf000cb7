namespace Switchboard.Runtime.Configuration;

/// <summary>Call settings (configuration section <c>Messaging</c>).</summary>
public sealed class MessagingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Messaging";

    /// <summary>Default of <see cref="ResponseTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultResponseTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a caller waits for a response before failing with <see cref="TimeoutException"/>.
    /// A timeout means the outcome is unknown; calls are never retried. Default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = DefaultResponseTimeout;
}
