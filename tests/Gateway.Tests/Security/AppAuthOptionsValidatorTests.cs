using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.Tests.Security;

public class AppAuthOptionsValidatorTests
{
    [Fact]
    public void Validate_ShortKey_NamesKeyAndLengthNotValue()
    {
        var result = new AppAuthOptionsValidator().Validate(null, new AppAuthOptions { SigningKey = "short-secret", Issuer = "i", Audience = "a" });

        Assert.True(result.Failed);
        Assert.Contains("Gateway:Auth:SigningKey must be at least 32 bytes of UTF-8 (HS256); got 12 bytes", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeyWithoutIssuerOrAudience_NamesBoth()
    {
        var result = new AppAuthOptionsValidator().Validate(null, new AppAuthOptions { SigningKey = TestTokens.SigningKey });

        Assert.Contains("Gateway:Auth:Issuer must be set", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Gateway:Auth:Audience must be set", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_IssuerWithoutKey_Fails()
    {
        var result = new AppAuthOptionsValidator().Validate(null, new AppAuthOptions { Issuer = "https://auth.example.com" });

        Assert.Contains("Gateway:Auth:SigningKey is not", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ClockSkewTooLarge_Fails()
    {
        var result = new AppAuthOptionsValidator().Validate(null, new AppAuthOptions { ClockSkew = TimeSpan.FromHours(1) });

        Assert.Contains("Gateway:Auth:ClockSkew must be in", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NothingSet_SucceedsWithRouteOff()
    {
        var options = new AppAuthOptions();

        Assert.True(new AppAuthOptionsValidator().Validate(null, options).Succeeded);
        Assert.False(options.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ClockSkew);
    }
}
