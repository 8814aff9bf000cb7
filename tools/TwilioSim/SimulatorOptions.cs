namespace Switchboard.TwilioSim;

/// <summary>Settings of one simulator run. Defaults are the documented values of each property.</summary>
internal sealed class SimulatorOptions
{
    /// <summary>Default number of concurrent calls.</summary>
    public const int DefaultCalls = 1;

    /// <summary>Default media duration per call.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    /// <summary>Default drain period after the last inbound frame, to collect echoes and marks.</summary>
    public static readonly TimeSpan DefaultDrain = TimeSpan.FromSeconds(2);

    /// <summary>Extra time the default hard timeout allows beyond ramp + duration + drain (connects, closes).</summary>
    public static readonly TimeSpan DefaultTimeoutSlack = TimeSpan.FromSeconds(10);

    /// <summary>The server's Media Streams endpoint (<c>ws://</c> or <c>wss://</c>). Required.</summary>
    public required Uri Url { get; init; }

    /// <summary>Concurrent calls. Default 1.</summary>
    public int Calls { get; init; } = DefaultCalls;

    /// <summary>How long each call streams inbound media. Default 10 s.</summary>
    public TimeSpan Duration { get; init; } = DefaultDuration;

    /// <summary>Call starts are spread evenly over this period. Default 0 (all at once).</summary>
    public TimeSpan Ramp { get; init; } = TimeSpan.Zero;

    /// <summary>Maximum wait after the last inbound frame for echoes and marks before <c>stop</c>. Default 2 s.</summary>
    public TimeSpan Drain { get; init; } = DefaultDrain;

    /// <summary>Hard limit on the whole run. Default (null): ramp + duration + drain + 10 s.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Twilio auth token; when set, the upgrade carries <c>X-Twilio-Signature</c>. Default none.</summary>
    public string? AuthToken { get; init; }

    /// <summary>Public base URL whose host Twilio would sign (e.g. an ngrok URL). Default: the host of <see cref="Url"/>.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>
    /// Applied to every call's socket options before it connects (in-process use only): e.g. an <c>Authorization</c> header
    /// for an application route, or a certificate check for a self-signed <c>wss://</c> server. Default none.
    /// </summary>
    public Action<System.Net.WebSockets.ClientWebSocketOptions>? ConfigureSocket { get; init; }

    /// <summary>Raw 8 kHz μ-law audio, looped. Default (empty): generated speech-like audio.</summary>
    public ReadOnlyMemory<byte> Audio { get; init; }

    /// <summary><c>start.customParameters</c> sent on every call (a <c>callIndex</c> is added). Default empty.</summary>
    public IReadOnlyDictionary<string, string> CustomParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Clock for pacing and measurements. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The effective hard timeout.</summary>
    public TimeSpan EffectiveTimeout => Timeout ?? (Ramp + Duration + Drain + DefaultTimeoutSlack);

    /// <summary>Number of 20 ms frames each call sends.</summary>
    public int FramesPerCall => (int)Math.Ceiling(Duration / PacingLoop.FrameInterval);

    /// <summary>Returns a message naming the setting, the rule and the value, or null when valid.</summary>
    public string? Validate()
    {
        if (Url is null || !Url.IsAbsoluteUri || (Url.Scheme != "ws" && Url.Scheme != "wss"))
        {
            return $"--url must be an absolute ws:// or wss:// URL (got '{Url}').";
        }

        if (Calls < 1 || Calls > 100_000)
        {
            return $"--calls must be between 1 and 100000 (got {Calls}).";
        }

        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromHours(24))
        {
            return $"--duration must be greater than 0 and at most 86400 seconds (got {Duration.TotalSeconds}).";
        }

        if (Ramp < TimeSpan.Zero)
        {
            return $"--ramp must not be negative (got {Ramp.TotalSeconds}).";
        }

        if (Drain < TimeSpan.Zero)
        {
            return $"--drain must not be negative (got {Drain.TotalSeconds}).";
        }

        if (Timeout is { } timeout && timeout <= Ramp + Duration)
        {
            return $"--timeout must exceed --ramp + --duration ({(Ramp + Duration).TotalSeconds} s) (got {timeout.TotalSeconds}).";
        }

        if (PublicUrl is not null && !PublicUrl.IsAbsoluteUri)
        {
            return $"--public-url must be an absolute URL (got '{PublicUrl}').";
        }

        if (PublicUrl is not null && AuthToken is null)
        {
            return "--public-url only matters for signing; give --auth-token too.";
        }

        if (AuthToken is { Length: 0 })
        {
            return "--auth-token must not be empty.";
        }

        return null;
    }
}
