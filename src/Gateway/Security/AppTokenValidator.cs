using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Switchboard.Gateway.Security;

/// <summary>
/// Validates application clients' JWTs (<see cref="AppAuthOptions"/>): HS256 signature with the configured key (no other
/// algorithm, so an <c>alg</c> swap cannot pass), issuer, audience, <c>exp</c> required, <c>nbf</c> honoured, both with the
/// configured clock skew, on the injected clock. Every upgrade is validated afresh, reconnects included. Failures are
/// values naming the check that failed, so the caller can log them without ever logging the token.
/// </summary>
internal sealed class AppTokenValidator
{
    /// <summary>Largest token accepted (bytes); a bearer token is a few hundred.</summary>
    public const int MaxTokenBytes = 8 * 1024;

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = MaxTokenBytes };
    private readonly TokenValidationParameters? _parameters;
    private readonly TimeSpan _clockSkew;
    private readonly TimeProvider _timeProvider;

    public AppTokenValidator(IOptions<AppAuthOptions> options, TimeProvider timeProvider)
    {
        var auth = options.Value;
        _clockSkew = auth.ClockSkew;
        _timeProvider = timeProvider;
        if (!auth.Enabled)
        {
            return;
        }

        _parameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.SigningKey!)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = auth.ClockSkew,
            // The library's own lifetime check reads the wall clock; ours reads the injected one (fake time in tests).
            LifetimeValidator = (notBefore, expires, _, _) => ValidateLifetime(notBefore, expires),
        };
    }

    public bool Enabled => _parameters is not null;

    public async Task<AppTokenResult> ValidateAsync(string? token)
    {
        if (_parameters is null)
        {
            return AppTokenResult.Fail("application authentication is not configured");
        }

        if (string.IsNullOrEmpty(token))
        {
            return AppTokenResult.Fail("missing bearer token");
        }

        if (token.Length > MaxTokenBytes)
        {
            return AppTokenResult.Fail("token too large");
        }

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            // ValidateTokenAsync reports failures in its result; this only guards against a library that throws instead.
            return AppTokenResult.Fail(Describe(ex));
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return AppTokenResult.Fail(Describe(result.Exception));
        }

        var expires = new DateTimeOffset(DateTime.SpecifyKind(jwt.ValidTo, DateTimeKind.Utc));
        return new AppTokenResult(true, jwt.Subject ?? string.Empty, expires + _clockSkew, null);
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        if (expires is not { } exp)
        {
            throw new SecurityTokenNoExpirationException("The token has no exp claim.");
        }

        if (notBefore is { } nbf && nbf.ToUniversalTime() > now + _clockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.");
        }

        if (exp.ToUniversalTime() + _clockSkew < now)
        {
            throw new SecurityTokenExpiredException("The token expired.");
        }

        return true;
    }

    /// <summary>The check that failed, in words (the library's messages may quote the token's claims).</summary>
    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "token expired",
        SecurityTokenNotYetValidException => "token not valid yet",
        SecurityTokenNoExpirationException => "token has no exp claim",
        SecurityTokenInvalidLifetimeException => "token lifetime invalid",
        SecurityTokenInvalidIssuerException => "wrong issuer",
        SecurityTokenInvalidAudienceException => "wrong audience",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "bad signature",
        SecurityTokenMalformedException or ArgumentException => "malformed token",
        null => "invalid token",
        _ => "invalid token (" + exception.GetType().Name + ")",
    };
}
