using Microsoft.Extensions.Options;
using Switchboard.Gateway.Configuration;
using Switchboard.Gateway.Security;

namespace Switchboard.Gateway.Tests.Security;

public class OriginPolicyTests
{
    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("http://app.example.com")] // another scheme is another origin
    [InlineData("https://app.example.com:8443")] // and so is another port
    [InlineData("https://app.example.com.evil.example")]
    [InlineData("null")] // opaque origin: sandboxed frame or file: page
    [InlineData("not a url")]
    public void IsAllowed_OriginNotListed_False(string origin)
    {
        var policy = Create("https://app.example.com");

        Assert.False(policy.IsAllowed(origin));
    }

    [Fact]
    public void IsAllowed_NothingListed_RefusesEveryBrowserOrigin()
    {
        Assert.False(Create().IsAllowed("https://app.example.com"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void IsAllowed_NoOriginHeader_TrueEvenWithNothingListed(string? origin)
    {
        Assert.True(Create().IsAllowed(origin));
    }

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("https://APP.Example.com")]
    [InlineData("https://app.example.com:443")]
    public void IsAllowed_ListedOriginInAnySpelling_True(string origin)
    {
        Assert.True(Create("https://app.example.com/").IsAllowed(origin));
    }

    [Fact]
    public void IsAllowed_Wildcard_AllowsAnyOrigin()
    {
        Assert.True(Create("*").IsAllowed("https://anything.example"));
    }

    [Theory]
    [InlineData("app.example.com")]
    [InlineData("https://app.example.com/path")]
    [InlineData("wss://app.example.com")]
    [InlineData("https://user@app.example.com")]
    [InlineData("")]
    public void IsValidEntry_NotAnOrigin_False(string entry)
    {
        Assert.False(OriginPolicy.IsValidEntry(entry));
    }

    private static OriginPolicy Create(params string[] allowed)
    {
        var options = new GatewayOptions();
        foreach (var origin in allowed)
        {
            options.AllowedOrigins.Add(origin);
        }

        return new OriginPolicy(Options.Create(options));
    }
}
