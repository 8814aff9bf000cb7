using Microsoft.Extensions.Configuration;
using Switchboard.Silo.Hosting;

namespace Switchboard.Silo.Tests.Hosting;

/// <summary><see cref="SiloConfiguration.ReadEndpoints"/>: the <c>Silo</c> section, with ports checked before anything
/// listens and a message naming the key, the rule and the value.</summary>
public sealed class SiloConfigurationTests
{
    [Theory]
    [InlineData("Silo:Port", "0", "1-65535")]
    [InlineData("Silo:Port", "-5", "1-65535")]
    [InlineData("Silo:Port", "65536", "1-65535")]
    [InlineData("Silo:GatewayPort", "0", "1-65535")]
    [InlineData("Silo:GatewayPort", "70000", "1-65535")]
    [InlineData("Silo:DashboardPort", "-1", "0-65535")]
    [InlineData("Silo:DashboardPort", "65536", "0-65535")]
    public void ReadEndpoints_PortOutOfRange_RefusedNamingKeyRuleAndValue(string key, string value, string range)
    {
        var configuration = Configuration(new() { [key] = value });

        var error = Assert.Throws<InvalidOperationException>(() => SiloConfiguration.ReadEndpoints(configuration));

        Assert.Equal($"{key} must be a TCP port ({range}), but was {value}.", error.Message);
    }

    [Fact]
    public void ReadEndpoints_PortNotANumber_RefusedNamingTheKey()
    {
        var configuration = Configuration(new() { ["Silo:Port"] = "eleven" });

        var error = Assert.Throws<InvalidOperationException>(() => SiloConfiguration.ReadEndpoints(configuration));

        Assert.Contains("Silo:Port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadEndpoints_Empty_Defaults()
    {
        var endpoints = SiloConfiguration.ReadEndpoints(Configuration([]));

        Assert.Equal("silo", endpoints.SiloName);
        Assert.Equal(11111, endpoints.Port);
        Assert.Equal(30000, endpoints.GatewayPort);
        Assert.Equal(8080, endpoints.DashboardPort);
        Assert.Equal("127.0.0.1", endpoints.AdvertisedAddress);
        Assert.Equal("0.0.0.0", endpoints.ListenAddress);
    }

    [Fact]
    public void ReadEndpoints_EdgesOfTheRanges_Accepted()
    {
        var endpoints = SiloConfiguration.ReadEndpoints(Configuration(new()
        {
            ["Silo:SiloName"] = "silo-2",
            ["Silo:Port"] = "1",
            ["Silo:GatewayPort"] = "65535",
            ["Silo:DashboardPort"] = "0",
        }));

        Assert.Equal("silo-2", endpoints.SiloName);
        Assert.Equal(1, endpoints.Port);
        Assert.Equal(65535, endpoints.GatewayPort);
        Assert.Equal(0, endpoints.DashboardPort);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
