using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Edge;

namespace Switchboard.Gateway.Tests.Edge;

public class EdgeOptionsValidatorTests
{
    [Theory]
    [InlineData("Gateway:MaxConnections", "0", "Gateway:MaxConnections must be in 1..1000000; got 0")]
    [InlineData("Gateway:UpgradeRateLimit:PerAddressPerSecond", "-1", "Gateway:UpgradeRateLimit:PerAddressPerSecond must be in 0..1000000 (0 = off); got -1")]
    [InlineData("Gateway:UpgradeRateLimit:Burst", "0", "Gateway:UpgradeRateLimit:Burst must be in 1..1000000; got 0")]
    [InlineData("Gateway:Http:RequestHeadersTimeout", "00:00:00", "Gateway:Http:RequestHeadersTimeout must be positive; got 00:00:00")]
    [InlineData("Gateway:Http:MaxRequestHeadersTotalSize", "100", "Gateway:Http:MaxRequestHeadersTotalSize must be in 1024..1048576; got 100")]
    [InlineData("Gateway:Http:MinRequestBodyDataRate", "-5", "Gateway:Http:MinRequestBodyDataRate must be >= 0 (0 = off); got -5")]
    [InlineData("Gateway:KnownProxies:0", "proxy.example.com", "'proxy.example.com' is not an IP address or CIDR network")]
    [InlineData("Gateway:KnownProxies:0", "10.0.0.0/99", "'10.0.0.0/99' is not a CIDR network")]
    public void Validate_InvalidValue_NamesKeyRuleAndValue(string key, string value, string expected)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(Environments.Development, new() { [key] = value }));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ProductionWithoutTlsOrKnownProxies_FailsNamingBothWays()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(Environments.Production, []));

        Assert.Contains("Gateway:Tls:CertificatePath", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Gateway:KnownProxies", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TlsCertificateMissing_NamesKey()
    {
        var path = Path.Combine(Path.GetTempPath(), $"switchboard-missing-{Guid.NewGuid():N}.pfx");

        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(Environments.Development, new() { ["Gateway:Tls:CertificatePath"] = path }));

        Assert.Contains($"Gateway:Tls:CertificatePath must name an existing PKCS#12 (.pfx) file; got '{path}'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TlsWrongPassword_NamesPasswordKey()
    {
        using var certificate = TestCertificate.Create();
        var path = TestCertificate.WritePfx(certificate, "right");
        try
        {
            var exception = Assert.Throws<OptionsValidationException>(() => Resolve(Environments.Development, new()
            {
                ["Gateway:Tls:CertificatePath"] = path,
                ["Gateway:Tls:CertificatePassword"] = "wrong",
            }));

            Assert.Contains("could not be loaded with Gateway:Tls:CertificatePassword", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_ProductionWithKnownProxiesAsOneCommaSeparatedValue_SucceedsAndParsesEach()
    {
        var options = Resolve(Environments.Production, new() { ["Gateway:KnownProxies"] = "10.0.0.5, 172.16.0.0/12" });

        Assert.True(KnownProxyList.TryParse(options.KnownProxies, out var list, out _));
        Assert.Equal(["10.0.0.5"], list.Addresses.Select(a => a.ToString()));
        Assert.Equal(["172.16.0.0/12"], list.Networks.Select(n => n.ToString()));
    }

    [Fact]
    public void Validate_ProductionWithTls_Succeeds()
    {
        using var certificate = TestCertificate.Create();
        var path = TestCertificate.WritePfx(certificate, "pw");
        try
        {
            var options = Resolve(Environments.Production, new()
            {
                ["Gateway:Tls:CertificatePath"] = path,
                ["Gateway:Tls:CertificatePassword"] = "pw",
            });

            Assert.True(options.Tls.Enabled);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_DevelopmentWithNothingSet_UsesDocumentedDefaults()
    {
        var options = Resolve(Environments.Development, []);

        Assert.Equal(10_000, options.MaxConnections);
        Assert.Equal(100, options.UpgradeRateLimit.PerAddressPerSecond);
        Assert.Equal(200, options.UpgradeRateLimit.Burst);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Http.RequestHeadersTimeout);
        Assert.Equal(TimeSpan.FromSeconds(130), options.Http.KeepAliveTimeout);
        Assert.Equal(16 * 1024, options.Http.MaxRequestHeadersTotalSize);
        Assert.False(options.Tls.Enabled);
        Assert.Empty(options.KnownProxies);
    }

    private static EdgeOptions Resolve(string environment, Dictionary<string, string?> settings)
    {
        // The Twilio settings are always present so only the edge options decide the outcome.
        settings.TryAdd("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef");
        settings.TryAdd("TWILIO_AUTH_TOKEN", "secret");
        settings.TryAdd("PUBLIC_URL", "https://voice.example.com");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new TestEnvironment(environment));
        services.AddSwitchboardGateway(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<EdgeOptions>>().Value;
    }

    private sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Switchboard.Gateway.Tests";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
