namespace Switchboard.Gateway.Security;

/// <summary>Outcome of <see cref="AppTokenValidator.ValidateAsync"/>: a value, never an exception.</summary>
/// <param name="IsValid">Whether the token passed every check.</param>
/// <param name="Subject">The token's <c>sub</c> (empty when absent), when valid.</param>
/// <param name="ValidUntil">When the token stops being accepted (<c>exp</c> plus the clock skew), when valid.</param>
/// <param name="Failure">Why it was refused (safe to log: never the token itself), when invalid.</param>
internal readonly record struct AppTokenResult(bool IsValid, string Subject, DateTimeOffset ValidUntil, string? Failure)
{
    public static AppTokenResult Fail(string reason) => new(false, string.Empty, default, reason);
}
