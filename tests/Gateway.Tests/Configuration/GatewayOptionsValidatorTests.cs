using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Configuration;

namespace Switchboard.Gateway.Tests.Configuration;

public class GatewayOptionsValidatorTests
{
    [Fact]
    public void Validate_ProductionWithNothingSet_NamesEachMissingVariable()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(Environments.Production, []));

        var message = string.Join(" ", exception.Failures);
        Assert.Contains("TWILIO_ACCOUNT_SID", message, StringComparison.Ordinal);
        Assert.Contains("TWILIO_AUTH_TOKEN", message, StringComparison.Ordinal);
        Assert.Contains("PUBLIC_URL", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_ProductionWithoutTwilioSettings_Fails()
    {
        // A proxy is listed so that only the Twilio settings are missing (Production also requires TLS or a known proxy).
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => Tests.TestDoubles.GatewayTestHost.StartAsync(
            new() { ["Gateway:KnownProxies"] = "10.0.0.1" }, signatures: false, environment: Environments.Production));

        Assert.Contains("TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, PUBLIC_URL", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ProductionMissingOnlyPublicUrl_NamesOnlyThatVariable()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(Environments.Production, new()
        {
            ["TWILIO_ACCOUNT_SID"] = "AC0123456789abcdef0123456789abcdef",
            ["TWILIO_AUTH_TOKEN"] = "secret",
        }));

        var message = string.Join(" ", exception.Failures);
        Assert.Contains("PUBLIC_URL", message, StringComparison.Ordinal);
        Assert.DoesNotContain("TWILIO_ACCOUNT_SID", message, StringComparison.Ordinal);
        Assert.DoesNotContain("TWILIO_AUTH_TOKEN", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PublicUrlNotAbsolute_Fails()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(Environments.Development, new() { ["PUBLIC_URL"] = "voice.example.com" }));

        Assert.Contains("PUBLIC_URL", string.Join(" ", exception.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NonPositiveLimits_NameTheKeys()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(Environments.Development, new()
        {
            ["Gateway:MaxMessageBytes"] = "0",
            ["Gateway:HealthReportPeriod"] = "00:00:00",
        }));

        var message = string.Join(" ", exception.Failures);
        Assert.Contains("Gateway:MaxMessageBytes", message, StringComparison.Ordinal);
        Assert.Contains("Gateway:HealthReportPeriod", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InputLimitsOutOfRange_NameTheKeysAndValues()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(Environments.Development, new()
        {
            ["Gateway:MaxMalformedMessages"] = "0",
            ["Gateway:MaxMediaPayloadBytes"] = "0",
            ["Gateway:SendStallTimeout"] = "00:00:00",
            ["Gateway:AllowedOrigins:0"] = "https://app.example.com",
            ["Gateway:AllowedOrigins:1"] = "app.example.com/page",
        }));

        var message = string.Join(" ", exception.Failures);
        Assert.Contains("Gateway:MaxMalformedMessages must be in 1..1000000; got 0", message, StringComparison.Ordinal);
        Assert.Contains("Gateway:MaxMediaPayloadBytes must be in 1..1048576; got 0", message, StringComparison.Ordinal);
        Assert.Contains("Gateway:SendStallTimeout must be positive", message, StringComparison.Ordinal);
        Assert.Contains("Gateway:AllowedOrigins:1", message, StringComparison.Ordinal);
        Assert.Contains("'app.example.com/page'", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Gateway:AllowedOrigins:0", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StreamTicketRequiredWithoutAuthToken_NamesTheToken()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(Environments.Development, new()
        {
            ["Gateway:RequireStreamTicket"] = "true",
            ["Gateway:StreamTicketLifetime"] = "00:00:00",
        }));

        var message = string.Join(" ", exception.Failures);
        Assert.Contains("Gateway:RequireStreamTicket needs TWILIO_AUTH_TOKEN", message, StringComparison.Ordinal);
        Assert.Contains("Gateway:StreamTicketLifetime must be positive", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InputLimitsUnset_Defaults()
    {
        var options = Resolve(Environments.Development, []);

        Assert.Empty(options.AllowedOrigins);
        Assert.Equal(10, options.MaxMalformedMessages);
        Assert.Equal(1600, options.MaxMediaPayloadBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), options.SendStallTimeout);
        Assert.Equal(256, options.OutboundQueueCapacity);
        Assert.False(options.RequireStreamTicket);
        Assert.Equal(TimeSpan.FromMinutes(2), options.StreamTicketLifetime);
    }

    [Fact]
    public void Validate_ProductionWithPlainEnvironmentNames_Succeeds()
    {
        var options = Resolve(Environments.Production, new()
        {
            ["TWILIO_ACCOUNT_SID"] = "AC0123456789abcdef0123456789abcdef",
            ["TWILIO_AUTH_TOKEN"] = "secret",
            ["PUBLIC_URL"] = "https://voice.example.com",
        });

        Assert.Equal("secret", options.TwilioAuthToken);
        Assert.Equal("https://voice.example.com", options.PublicUrl);
        Assert.Equal("AC0123456789abcdef0123456789abcdef", options.TwilioAccountSid);
        Assert.Equal(GatewayOptions.DefaultPort, options.Port);
        Assert.Equal(GatewayOptions.DefaultMaxMessageBytes, options.MaxMessageBytes);
    }

    [Fact]
    public void Validate_SectionValueWinsOverPlainName()
    {
        var options = Resolve(Environments.Development, new()
        {
            ["PUBLIC_URL"] = "https://plain.example.com",
            ["Gateway:PublicUrl"] = "https://section.example.com",
        });

        Assert.Equal("https://section.example.com", options.PublicUrl);
    }

    [Fact]
    public void Validate_DevelopmentWithNothingSet_Succeeds()
    {
        var options = Resolve(Environments.Development, []);

        Assert.Null(options.TwilioAuthToken);
    }

    private static GatewayOptions Resolve(string environment, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new TestEnvironment(environment));
        services.AddSwitchboardGateway(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<GatewayOptions>>().Value;
    }

    private sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Switchboard.Gateway.Tests";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
