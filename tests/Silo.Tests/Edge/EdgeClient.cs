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

/// <summary>Misbehaving clients for <see cref="EdgeAbuseTests"/>: upgrade attempts, header tricklers, test tokens and certificates.</summary>
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

    /// <summary>Sends <paramref name="request"/> a byte every 100 ms until the server hangs up; returns how long it took and the answer.</summary>
    public static async Task<(TimeSpan Elapsed, string Response)> TrickleAsync(int port, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var started = Stopwatch.GetTimestamp();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reading = ReadUntilClosedAsync(socket, stop.Token);
        foreach (var b in Encoding.ASCII.GetBytes(request))
        {
            if (reading.IsCompleted)
            {
                break;
            }

            try
            {
                await socket.SendAsync(new[] { b }, SocketFlags.None, stop.Token);
            }
            catch (SocketException)
            {
                break;
            }

            await Task.Delay(100, stop.Token);
        }

        var response = await reading;
        return (Stopwatch.GetElapsedTime(started), response);
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

    private static async Task<string> ReadUntilClosedAsync(Socket socket, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new byte[1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (SocketException)
        {
            // A reset after the answer is still a drop.
        }

        return text.ToString();
    }
}
