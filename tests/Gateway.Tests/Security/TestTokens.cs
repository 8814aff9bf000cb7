using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Switchboard.Gateway.Tests.Security;

/// <summary>Signs test JWTs the way an application's auth server would.</summary>
internal static class TestTokens
{
    // 64 bytes, so a token signed with HS384/HS512 and this very key can be made (and must still be refused).
    public const string SigningKey = "test-signing-key-0123456789abcdef-0123456789abcdef-not-a-secret!";
    public const string Issuer = "https://auth.example.com";
    public const string Audience = "switchboard";

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Gateway:Auth:SigningKey"] = SigningKey,
        ["Gateway:Auth:Issuer"] = Issuer,
        ["Gateway:Auth:Audience"] = Audience,
        ["Gateway:Auth:ClockSkew"] = "00:00:00",
    };

    public static string Create(
        DateTimeOffset expires,
        DateTimeOffset? notBefore = null,
        string subject = "agent-7",
        string issuer = Issuer,
        string audience = Audience,
        string key = SigningKey,
        string algorithm = SecurityAlgorithms.HmacSha256,
        bool withExpiry = true)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            Issuer = issuer,
            Audience = audience,
            IssuedAt = (notBefore ?? expires.AddHours(-1)).UtcDateTime,
            NotBefore = (notBefore ?? expires.AddHours(-1)).UtcDateTime,
            Expires = withExpiry ? expires.UtcDateTime : null,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), algorithm),
        };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = withExpiry };
        return handler.CreateToken(descriptor);
    }
}
