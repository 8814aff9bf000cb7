using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Switchboard.Silo.Hosting;

namespace Switchboard.Silo.Tests.Hosting;

/// <summary><see cref="DashboardCredentials.Read"/>: the dashboard shows every call's streamSid, logs and grain state,
/// so outside Development it needs both <c>Dashboard:Username</c> and <c>Dashboard:Password</c>.</summary>
public sealed class DashboardCredentialsTests
{
    [Fact]
    public void Read_ProductionWithoutCredentials_RefusedNamingBothKeys()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DashboardCredentials.Read(Configuration(), new Environment(Environments.Production)));

        Assert.Contains("Dashboard:Username", error.Message, StringComparison.Ordinal);
        Assert.Contains("Dashboard:Password", error.Message, StringComparison.Ordinal);
        Assert.Contains("Production", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", "admin", null)]
    [InlineData("Production", null, "secret")]
    [InlineData("Production", "admin", "")]
    [InlineData("Development", "admin", null)]
    [InlineData("Development", null, "secret")]
    public void Read_OnlyOneOfTheTwoSet_Refused(string environment, string? username, string? password)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DashboardCredentials.Read(Configuration(username, password), new Environment(environment)));

        Assert.Contains("Dashboard:Username", error.Message, StringComparison.Ordinal);
        Assert.Contains("Dashboard:Password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DevelopmentWithoutCredentials_AllowedWithoutAuthentication()
    {
        var credentials = DashboardCredentials.Read(Configuration(), new Environment(Environments.Development));

        Assert.False(credentials.IsSet);
        Assert.Null(credentials.Username);
        Assert.Null(credentials.Password);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public void Read_BothSet_ReturnsThem(string environment)
    {
        var credentials = DashboardCredentials.Read(Configuration("admin", "s3cret:with-colon"), new Environment(environment));

        Assert.True(credentials.IsSet);
        Assert.Equal("admin", credentials.Username);
        Assert.Equal("s3cret:with-colon", credentials.Password);
    }

    private static IConfiguration Configuration(string? username = null, string? password = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:Username"] = username,
            ["Dashboard:Password"] = password,
        }).Build();

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Switchboard.Silo.Tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
