using System.Security.Cryptography;
using System.Text;

namespace Switchboard.TestInfrastructure.BadInput;

/// <summary>
/// A running gateway process that <see cref="BadInputTable"/> attacks: its media-stream URL, how to sign an upgrade for
/// it (null when signatures are off), and the live call beside the attacks (possibly on another gateway).
/// </summary>
/// <param name="WebSocketUri">The gateway's <c>/twilio/media-stream</c>.</param>
/// <param name="AuthToken">The gateway's Twilio auth token, or null when it checks no signatures.</param>
/// <param name="SignedUrl">The URL Twilio signs for the upgrade (from <c>PUBLIC_URL</c>).</param>
/// <param name="LiveStreamSid">The streamSid of the well-behaved call streaming meanwhile.</param>
/// <param name="LiveCallSid">That call's callSid.</param>
/// <param name="Settings">What the process was configured with, as the rows need to know it.</param>
public sealed record BadInputTarget(Uri WebSocketUri, string? AuthToken, string SignedUrl, string LiveStreamSid, string LiveCallSid, BadInputSettings Settings)
{
    /// <summary>The <c>X-Twilio-Signature</c> of an upgrade: HMAC-SHA1 of the URL under the auth token (no form fields).</summary>
    public string? Signature => AuthToken is null
        ? null
        : Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(AuthToken), Encoding.UTF8.GetBytes(SignedUrl)));
}

/// <summary>Keys the attacked process runs with (environment form), and the values the rows rely on.</summary>
public sealed record BadInputSettings
{
    /// <summary>Gateway:MaxMalformedMessages.</summary>
    public int MaxMalformedMessages { get; init; } = 3;

    /// <summary>Gateway:SendStallTimeout.</summary>
    public TimeSpan SendStallTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>ConnectionGrain:HeartbeatTimeout.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>ConnectionGrain:SustainedRateLimit.</summary>
    public TimeSpan SustainedRateLimit { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The settings as environment variables for a gateway (or embedded) process. The per-address upgrade
    /// limit is lifted: every attack comes from 127.0.0.1, as fast as the server answers.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["Gateway__MaxMalformedMessages"] = MaxMalformedMessages.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gateway__SendStallTimeout"] = SendStallTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Gateway__UpgradeRateLimit__PerAddressPerSecond"] = "0",
        ["ConnectionGrain__HeartbeatTimeout"] = HeartbeatTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["ConnectionGrain__SustainedRateLimit"] = SustainedRateLimit.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };
}
