namespace Switchboard.Gateway.Edge;

/// <summary>
/// Kestrel's request limits (<c>Gateway:Http</c>). They bound what a client can hold before its request reaches the
/// gateway: a client trickling its headers (slow-loris) is answered 408 and dropped once
/// <see cref="RequestHeadersTimeout"/> passes (Kestrel checks once a second, so up to about two seconds later).
/// Upgraded WebSockets are not subject to the body rate or size limits; their own keep-alive pings bound them.
/// </summary>
public sealed class HttpLimitsOptions
{
    /// <summary>Default of <see cref="RequestHeadersTimeout"/> (10 s; Kestrel's own default is 30 s).</summary>
    public static readonly TimeSpan DefaultRequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Default of <see cref="KeepAliveTimeout"/> (Kestrel's 130 s: longer than nginx's 60 s upstream keep-alive, so a
    /// proxy never reuses a connection the gateway is closing).</summary>
    public static readonly TimeSpan DefaultKeepAliveTimeout = TimeSpan.FromSeconds(130);

    /// <summary>Default of <see cref="MaxRequestHeadersTotalSize"/> (16 KiB).</summary>
    public const int DefaultMaxRequestHeadersTotalSize = 16 * 1024;

    /// <summary>Default of <see cref="MaxRequestHeaderCount"/>.</summary>
    public const int DefaultMaxRequestHeaderCount = 64;

    /// <summary>Default of <see cref="MaxRequestLineSize"/> (8 KiB).</summary>
    public const int DefaultMaxRequestLineSize = 8 * 1024;

    /// <summary>Default of <see cref="MaxRequestBodySize"/> (1 MiB; a Twilio webhook is a few KiB).</summary>
    public const long DefaultMaxRequestBodySize = 1024 * 1024;

    /// <summary>Default of <see cref="MinRequestBodyDataRate"/> (bytes per second).</summary>
    public const double DefaultMinRequestBodyDataRate = 240;

    /// <summary>Default of <see cref="MinRequestBodyDataRateGracePeriod"/>.</summary>
    public static readonly TimeSpan DefaultMinRequestBodyDataRateGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>Most time a client has to send its request line and headers once it started a request. Default 10 s.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = DefaultRequestHeadersTimeout;

    /// <summary>How long an idle HTTP connection (no request in progress) is kept. Default 130 s.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = DefaultKeepAliveTimeout;

    /// <summary>Largest total size of a request's headers; a larger request is answered 431. Default 16 KiB.</summary>
    public int MaxRequestHeadersTotalSize { get; set; } = DefaultMaxRequestHeadersTotalSize;

    /// <summary>Most headers in one request; more is answered 431. Default 64.</summary>
    public int MaxRequestHeaderCount { get; set; } = DefaultMaxRequestHeaderCount;

    /// <summary>Largest request line (method, target, version); a longer one is answered 414. Default 8 KiB.</summary>
    public int MaxRequestLineSize { get; set; } = DefaultMaxRequestLineSize;

    /// <summary>Largest request body (webhooks); a larger one is answered 413. Default 1 MiB.</summary>
    public long MaxRequestBodySize { get; set; } = DefaultMaxRequestBodySize;

    /// <summary>Slowest request body accepted, in bytes per second, after the grace period; <c>0</c> turns the check off. Default 240.</summary>
    public double MinRequestBodyDataRate { get; set; } = DefaultMinRequestBodyDataRate;

    /// <summary>Time a body may take before <see cref="MinRequestBodyDataRate"/> applies. Default 5 s.</summary>
    public TimeSpan MinRequestBodyDataRateGracePeriod { get; set; } = DefaultMinRequestBodyDataRateGracePeriod;
}
