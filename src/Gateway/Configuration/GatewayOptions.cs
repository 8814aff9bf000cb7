namespace Switchboard.Gateway.Configuration;

/// <summary>
/// Settings of the gateway, bound from the <c>Gateway</c> configuration section. The three Twilio settings also
/// fall back to the plain environment names <c>PUBLIC_URL</c>, <c>TWILIO_AUTH_TOKEN</c> and <c>TWILIO_ACCOUNT_SID</c>
/// (no <c>Gateway__</c> prefix needed). In Production all three are required.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Environment name of <see cref="PublicUrl"/>.</summary>
    public const string PublicUrlVariable = "PUBLIC_URL";

    /// <summary>Environment name of <see cref="TwilioAuthToken"/>.</summary>
    public const string TwilioAuthTokenVariable = "TWILIO_AUTH_TOKEN";

    /// <summary>Environment name of <see cref="TwilioAccountSid"/>.</summary>
    public const string TwilioAccountSidVariable = "TWILIO_ACCOUNT_SID";

    /// <summary>Default of <see cref="Port"/>.</summary>
    public const int DefaultPort = 8081;

    /// <summary>Default of <see cref="MaxMessageBytes"/> (64 KiB).</summary>
    public const int DefaultMaxMessageBytes = 64 * 1024;

    /// <summary>Default of <see cref="MaxBufferedBeforeStart"/>.</summary>
    public const int DefaultMaxBufferedBeforeStart = 50;

    /// <summary>Default of <see cref="OutboundQueueCapacity"/>.</summary>
    public const int DefaultOutboundQueueCapacity = 256;

    /// <summary>Default of <see cref="MaxMalformedMessages"/>.</summary>
    public const int DefaultMaxMalformedMessages = 10;

    /// <summary>Default of <see cref="MaxMediaPayloadBytes"/>: 200 ms of 8 kHz μ-law, ten of Twilio's 20 ms frames.</summary>
    public const int DefaultMaxMediaPayloadBytes = 1600;

    /// <summary>Default of <see cref="StreamTicketLifetime"/>.</summary>
    public static readonly TimeSpan DefaultStreamTicketLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Default of <see cref="SendStallTimeout"/>.</summary>
    public static readonly TimeSpan DefaultSendStallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Port Kestrel listens on (0 = any free port, for tests).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The public base URL Twilio uses to reach us (e.g. <c>https://voice.example.com</c>). Signatures are
    /// checked against it, not against what Kestrel sees behind a proxy. Unset in Development: the request's Host is used.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Primary Twilio Auth Token. When set, every webhook and upgrade must carry a valid <c>X-Twilio-Signature</c>.</summary>
    public string? TwilioAuthToken { get; set; }

    /// <summary>Refuse a media stream whose <c>start</c> does not carry a valid stream ticket for its <c>callSid</c>
    /// (issued by <c>/twilio/voice</c>; see <see cref="Security.StreamTickets"/>). Requires <see cref="TwilioAuthToken"/>.
    /// Off by default: TwiML written elsewhere has no ticket. Turn it on when Twilio gets its TwiML from this gateway.</summary>
    public bool RequireStreamTicket { get; set; }

    /// <summary>How long after the webhook a stream ticket opens a stream. Default 2 minutes (Twilio connects within
    /// seconds of the TwiML).</summary>
    public TimeSpan StreamTicketLifetime { get; set; } = DefaultStreamTicketLifetime;

    /// <summary>Twilio Account SID (<c>AC…</c>).</summary>
    public string? TwilioAccountSid { get; set; }

    /// <summary>Largest inbound text message accepted; a larger one closes the socket with 1009.</summary>
    public int MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>Messages kept while waiting for <c>start</c>; later ones are dropped and counted.</summary>
    public int MaxBufferedBeforeStart { get; set; } = DefaultMaxBufferedBeforeStart;

    /// <summary>Outbound frames queued per socket. When the queue is full the oldest queued frame (stale audio, or a mark)
    /// is dropped to make room, never a <c>clear</c>; the observer's <c>Send</c> never waits.</summary>
    public int OutboundQueueCapacity { get; set; } = DefaultOutboundQueueCapacity;

    /// <summary>Origins a browser client may upgrade from (<c>https://app.example.com</c>; <c>*</c> allows any). A request
    /// without an <c>Origin</c> header (Twilio, servers) is always allowed; one whose <c>Origin</c> is not listed gets 403
    /// before the upgrade. Default: none listed, so every browser origin is refused.</summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Malformed messages (not JSON, unknown event, missing field, wrong streamSid, second start) a stream may
    /// send; the one that reaches this count closes the socket with 1007 (invalid data) or 1008 (protocol). Default 10.</summary>
    public int MaxMalformedMessages { get; set; } = DefaultMaxMalformedMessages;

    /// <summary>Largest decoded inbound <c>media</c> payload in bytes; an empty or larger one is dropped and counted, never
    /// forwarded. Default 1600 (Twilio sends 160).</summary>
    public int MaxMediaPayloadBytes { get; set; } = DefaultMaxMediaPayloadBytes;

    /// <summary>How long the client may fail to consume audio before it counts as not reading and the stream ends with
    /// NETWORK_FAILURE: a probe mark unechoed this long after its audio could have played (close 1008), or one send
    /// making no progress this long (abort). Default 10 s.</summary>
    public TimeSpan SendStallTimeout { get; set; } = DefaultSendStallTimeout;

    /// <summary>How often the gateway reports to the health grain. Default 1 s.</summary>
    public TimeSpan HealthReportPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Interval between WebSocket PING frames (round-trip measurement). Default 5 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A PING not answered by a PONG within this time aborts the socket. Default 15 s.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for the peer's close frame after we sent ours. Default 5 s.</summary>
    public TimeSpan CloseHandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound on request/response grain calls made by the gateway (Start, Stop, GetHealth). Default 10 s.</summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>One inbound delivery attempt waits this long for the grain's acknowledgement before it is retried (the
    /// events are re-sent with the same delivery numbers; the grain skips those it has). A call sent through a silo that
    /// just died never answers, so this bounds the echo gap of calls whose grains live on healthy silos. Default 200 ms.</summary>
    public TimeSpan DeliveryAttemptTimeout { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the gateway keeps re-delivering a stream's inbound audio while its grain cannot be reached (a
    /// silo being declared dead takes about 2 s) before it closes the socket with 1011. Default 10 s.</summary>
    public TimeSpan RedeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Inbound events a stream may hold unacknowledged (500 = 10 s of audio); beyond it the oldest is dropped
    /// and counted. Default 500.</summary>
    public int MaxUndeliveredEvents { get; set; } = 500;

    /// <summary>Latency (round trip or grain call) above which a <c>LatencySpike</c> is logged. Default 200 ms.</summary>
    public TimeSpan LatencySpikeThreshold { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>On SIGTERM the gateway stops accepting streams (503, <c>/health</c> not ready) and keeps the calls it holds
    /// until they end or this deadline passes; then it exits. Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
