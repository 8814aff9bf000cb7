using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Configuration;

namespace Switchboard.Gateway.Security;

/// <summary>
/// Rebuilds the URLs Twilio signed and dialled from <see cref="GatewayOptions.PublicUrl"/>, never from what Kestrel
/// sees: behind a TLS-terminating proxy Kestrel sees <c>http://127.0.0.1:8081</c> while Twilio signed
/// <c>https://voice.example.com/…</c> (or <c>wss://…</c> for the upgrade).
///
/// Port rules (Twilio security docs): https URLs are signed without a port; http URLs keep an explicit port.
/// Because twilio-node also accepts the variant with the port, <see cref="WebhookUrls"/> offers both for https.
/// When PublicUrl is unset (Development) the request's own scheme and Host are used.
/// </summary>
internal sealed class PublicUrlResolver(IOptions<GatewayOptions> options)
{
    /// <summary>Path Twilio dials for the media stream.</summary>
    public const string MediaStreamPath = "/twilio/media-stream";

    private readonly Uri? _publicUrl = string.IsNullOrWhiteSpace(options.Value.PublicUrl) ? null : new Uri(options.Value.PublicUrl);

    /// <summary>Candidate URLs for a webhook request, preferred first.</summary>
    public IReadOnlyList<string> WebhookUrls(HttpRequest request)
    {
        var pathAndQuery = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        var (scheme, host, port) = Origin(request);
        return OriginVariants(scheme, host, port).Select(origin => origin + pathAndQuery).ToArray();
    }

    /// <summary>Candidate URLs for the WebSocket upgrade: the public <c>wss://</c> URL, with and without trailing slash.</summary>
    public IReadOnlyList<string> UpgradeUrls(HttpRequest request)
    {
        var (scheme, host, port) = Origin(request);
        var wsScheme = scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        var urls = new List<string>(4);
        foreach (var origin in OriginVariants(wsScheme, host, port))
        {
            urls.Add(origin + MediaStreamPath);
            urls.Add(origin + MediaStreamPath + "/");
        }

        return urls;
    }

    /// <summary>The <c>&lt;Stream url&gt;</c> for TwiML: always wss (Twilio refuses other schemes, error 31922).</summary>
    public string StreamUrl(HttpRequest request)
    {
        if (_publicUrl is null)
        {
            return "wss://" + request.Host.ToUriComponent() + MediaStreamPath;
        }

        var (_, host, port) = Origin(request);
        // The https origin is signed without a port; an explicit non-default port must still reach the socket.
        return "wss://" + host + (port is int p && p != 443 ? ":" + p.ToString(CultureInfo.InvariantCulture) : string.Empty) + MediaStreamPath;
    }

    private (string Scheme, string Host, int? Port) Origin(HttpRequest request)
    {
        if (_publicUrl is not null)
        {
            return (_publicUrl.Scheme, _publicUrl.IdnHost, _publicUrl.IsDefaultPort ? null : _publicUrl.Port);
        }

        return (request.Scheme, request.Host.Host, request.Host.Port);
    }

    private static IEnumerable<string> OriginVariants(string scheme, string host, int? port)
    {
        var secure = scheme is "https" or "wss";
        var defaultPort = secure ? 443 : 80;
        var withoutPort = $"{scheme}://{host}";
        var withPort = $"{scheme}://{host}:{(port ?? defaultPort).ToString(CultureInfo.InvariantCulture)}";
        if (secure)
        {
            // Twilio signs https without the port; accept the explicit form too, as twilio-node does.
            yield return withoutPort;
            yield return withPort;
        }
        else
        {
            yield return port is null || port == defaultPort ? withoutPort : withPort;
            if (port is not null && port != defaultPort)
            {
                yield break;
            }

            yield return withPort;
        }
    }
}
