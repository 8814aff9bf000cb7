using Microsoft.Extensions.Options;
using Switchboard.Gateway.Configuration;

namespace Switchboard.Gateway.Security;

/// <summary>
/// The <c>Origin</c> allow-list of the media-stream upgrade (<see cref="GatewayOptions.AllowedOrigins"/>). Browsers send
/// <c>Origin</c> on every WebSocket upgrade and let any page open a socket to any host, so the server is the only one who
/// can refuse a page it does not trust (cross-site WebSocket hijacking). Twilio and other servers send no <c>Origin</c>:
/// a request without one is allowed, and the signature check that follows still applies to it.
/// </summary>
/// <remarks>Origins compare as scheme, host and port, case-insensitively, with the scheme's default port implied
/// (<c>https://app.example.com</c> equals <c>https://APP.example.com:443</c>). <c>*</c> allows every origin. The opaque
/// origin <c>null</c> (sandboxed frames, <c>file:</c> pages) matches nothing but <c>*</c>.</remarks>
internal sealed class OriginPolicy
{
    /// <summary>The request header browsers set on a WebSocket upgrade.</summary>
    public const string OriginHeader = "Origin";

    private const string AnyOrigin = "*";

    private readonly HashSet<string> _allowed;
    private readonly bool _any;

    public OriginPolicy(IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in options.Value.AllowedOrigins)
        {
            if (entry.Trim() == AnyOrigin)
            {
                _any = true;
            }
            else if (Normalize(entry) is { } origin)
            {
                _allowed.Add(origin);
            }
        }
    }

    /// <summary>True when a request with this <c>Origin</c> header value (null or empty: no header) may upgrade.</summary>
    public bool IsAllowed(string? origin)
    {
        if (string.IsNullOrEmpty(origin) || _any)
        {
            return true;
        }

        return Normalize(origin) is { } normalized && _allowed.Contains(normalized);
    }

    /// <summary>True when <paramref name="entry"/> is <c>*</c> or an http(s) origin without path, query or user info.</summary>
    public static bool IsValidEntry(string? entry) => entry?.Trim() == AnyOrigin || Normalize(entry) is not null;

    private static string? Normalize(string? origin)
    {
        if (string.IsNullOrWhiteSpace(origin)
            || !Uri.TryCreate(origin.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.UserInfo.Length > 0
            || uri.AbsolutePath != "/"
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0)
        {
            return null;
        }

        // GetLeftPart drops the scheme's default port, so the explicit and implicit forms compare equal.
        return uri.GetLeftPart(UriPartial.Authority);
    }
}
