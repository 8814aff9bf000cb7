namespace Switchboard.Gateway.Security;

/// <summary>
/// JWT authentication of application clients (browsers, back-office tools) on <c>/app/stream</c>, bound from
/// <c>Gateway:Auth</c>. Tokens are HS256-signed JWTs with <c>iss</c>, <c>aud</c> and <c>exp</c>; the signing key, issuer
/// and audience come from configuration (an environment variable or a secret store), never from the repository.
/// Unset <see cref="SigningKey"/> turns the application route off (404). Twilio's path is not affected.
/// </summary>
public sealed class AppAuthOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Gateway:Auth";

    /// <summary>Shortest accepted signing key, in UTF-8 bytes (HS256 needs 256 bits).</summary>
    public const int MinSigningKeyBytes = 32;

    /// <summary>Default of <see cref="ClockSkew"/>.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Largest clock skew accepted by validation.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>HMAC-SHA256 key the tokens are signed with (UTF-8, at least 32 bytes). Default unset: application clients are refused.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Required <c>iss</c> claim. Required when <see cref="SigningKey"/> is set.</summary>
    public string? Issuer { get; set; }

    /// <summary>Required <c>aud</c> claim. Required when <see cref="SigningKey"/> is set.</summary>
    public string? Audience { get; set; }

    /// <summary>Tolerance for clock differences on <c>exp</c>/<c>nbf</c>. A connection is closed when its token's <c>exp</c>
    /// plus this skew passes. Default 30 s.</summary>
    public TimeSpan ClockSkew { get; set; } = DefaultClockSkew;

    /// <summary>Whether application clients can authenticate at all.</summary>
    public bool Enabled => !string.IsNullOrEmpty(SigningKey);
}
