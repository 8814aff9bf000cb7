using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.Tests.Security;

public class AppTokenValidatorTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public static TheoryData<string, string> InvalidTokens => new()
    {
        { TestTokens.Create(Now.AddMinutes(-1)), "token expired" },
        { TestTokens.Create(Now.AddHours(1), notBefore: Now.AddMinutes(10)), "token not valid yet" },
        { TestTokens.Create(Now.AddHours(1), issuer: "https://evil.example.com"), "wrong issuer" },
        { TestTokens.Create(Now.AddHours(1), audience: "someone-else"), "wrong audience" },
        { TestTokens.Create(Now.AddHours(1), key: "another-key-0123456789abcdef-0123456789"), "bad signature" },
        // Signed with the right key but another algorithm: only HS256 is accepted (the library reports it as a signature failure).
        { TestTokens.Create(Now.AddHours(1), algorithm: SecurityAlgorithms.HmacSha384), "bad signature" },
        { TestTokens.Create(Now.AddHours(1), withExpiry: false), "token has no exp claim" },
        { "not.a.jwt", "malformed token" },
        { "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZ2VudC03IiwiaXNzIjoiaHR0cHM6Ly9hdXRoLmV4YW1wbGUuY29tIiwiYXVkIjoic3dpdGNoYm9hcmQiLCJleHAiOjQxMDI0NDQ4MDB9.", "bad signature" },
    };

    [Theory]
    [MemberData(nameof(InvalidTokens))]
    public async Task Validate_InvalidToken_RefusedNamingTheCheck(string token, string expected)
    {
        var validator = Create(TimeSpan.Zero);

        var result = await validator.ValidateAsync(token);

        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Failure);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Validate_NoToken_RefusedAsMissing(string? token)
    {
        var result = await Create(TimeSpan.Zero).ValidateAsync(token);

        Assert.False(result.IsValid);
        Assert.Equal("missing bearer token", result.Failure);
    }

    [Fact]
    public async Task Validate_TokenOverSizeLimit_RefusedBeforeParsing()
    {
        var result = await Create(TimeSpan.Zero).ValidateAsync(new string('a', AppTokenValidator.MaxTokenBytes + 1));

        Assert.Equal("token too large", result.Failure);
    }

    [Fact]
    public async Task Validate_ValidToken_ReturnsSubjectAndExpiryPlusSkew()
    {
        var validator = Create(TimeSpan.FromSeconds(30));
        var expires = Now.AddMinutes(5);

        var result = await validator.ValidateAsync(TestTokens.Create(expires, subject: "agent-42"));

        Assert.True(result.IsValid, result.Failure);
        Assert.Equal("agent-42", result.Subject);
        Assert.Equal(expires.AddSeconds(30), result.ValidUntil);
    }

    [Fact]
    public async Task Validate_ExpiredWithinClockSkew_Accepted_BeyondIt_Refused()
    {
        var time = new FakeTimeProvider(Now);
        var validator = Create(TimeSpan.FromSeconds(30), time);
        var token = TestTokens.Create(Now.AddSeconds(-20));

        var within = await validator.ValidateAsync(token);
        time.Advance(TimeSpan.FromSeconds(11));
        var beyond = await validator.ValidateAsync(token);

        Assert.True(within.IsValid, within.Failure);
        Assert.Equal("token expired", beyond.Failure);
    }

    [Fact]
    public async Task Validate_NotConfigured_RefusesEverything()
    {
        var validator = new AppTokenValidator(Options.Create(new AppAuthOptions()), new FakeTimeProvider(Now));

        var result = await validator.ValidateAsync(TestTokens.Create(Now.AddHours(1)));

        Assert.False(validator.Enabled);
        Assert.False(result.IsValid);
    }

    private static AppTokenValidator Create(TimeSpan skew, TimeProvider? time = null) =>
        new(Options.Create(new AppAuthOptions
        {
            SigningKey = TestTokens.SigningKey,
            Issuer = TestTokens.Issuer,
            Audience = TestTokens.Audience,
            ClockSkew = skew,
        }), time ?? new FakeTimeProvider(Now));
}
