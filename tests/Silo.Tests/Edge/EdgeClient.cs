using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Switchboard.Silo.Tests.Edge;

/// <summary>Misbehaving clients for <see cref="EdgeAbuseTests"/>: upgrade attempts, test tokens and certificates (the header
/// trickler is <see cref="Switchboard.TestInfrastructure.HeaderTrickler"/>).</summary>
internal static class EdgeClient
{
    public const string SigningKey = "silo-tests-signing-key-0123456789abcdef-0123456789abcdef-not-secret";
    public const string Issuer = "https://auth.example.com";
    public const string Audience = "switchboard";

    /// <summary>Tries one upgrade; closes the socket if it opened. Returns the HTTP status (101 when upgraded).</summary>
    public static async Task<(HttpStatusCode Status, string? RetryAfter)> TryUpgradeAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(client.Options);
        try
        {
            await client.ConnectAsync(uri, CancellationToken.None);
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // Refused before the upgrade: the status code says why.
        }

        var retryAfter = client.HttpResponseHeaders is { } headers && headers.TryGetValue("Retry-After", out var values) ? values.FirstOrDefault() : null;
        return (client.HttpStatusCode, retryAfter);
    }

    public static string Token(DateTimeOffset expires, string subject = "agent-7", string key = SigningKey)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            Issuer = Issuer,
            Audience = Audience,
            NotBefore = expires.AddHours(-2).UtcDateTime,
            IssuedAt = expires.AddHours(-2).UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=switchboard-silo-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
    }
}
