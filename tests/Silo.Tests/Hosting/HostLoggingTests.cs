using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Silo.Hosting;
using Switchboard.Silo.Tests.Edge;
using Switchboard.TestInfrastructure;

namespace Switchboard.Silo.Tests.Hosting;

/// <summary>
/// <see cref="HostLogging"/> through both hosts' <c>Build</c>: Serilog is set up from the configuration as it stands after
/// the caller's <c>configure</c>, and providers <c>configure</c> adds keep receiving events. Built, not started: nothing
/// binds a port or reaches a database.
/// </summary>
public sealed class HostLoggingTests
{
    public static TheoryData<string> Hosts => ["embedded", "cluster"];

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Build_MinimumLevelSetInConfigure_SerilogUsesIt(string host)
    {
        await using var app = Build(host, new Dictionary<string, string?> { ["Logging:MinimumLevel"] = "Warning" });
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Silo");

        Assert.False(logger.IsEnabled(LogLevel.Information), $"{host} host: Logging:MinimumLevel=Warning from configure, yet Information is still logged");
        Assert.True(logger.IsEnabled(LogLevel.Warning), $"{host} host: Logging:MinimumLevel=Warning from configure, yet Warning is not logged");
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Build_ProviderAddedInConfigure_ReceivesEventsBesideSerilog(string host)
    {
        var capture = new LogCapture();

        await using var app = Build(host, new Dictionary<string, string?> { ["Logging:MinimumLevel"] = "Fatal" }, builder => builder.Logging.AddProvider(capture));
        var providers = app.Services.GetServices<ILoggerProvider>().ToList();
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Silo").Log(LogLevel.Warning, new EventId(1, "Probe"), "probe", null, (s, _) => s);

        Assert.True(capture.Any("Probe"), $"{host} host: the provider added in configure saw none of the events");
        Assert.Contains(providers, p => p.GetType().Name == "SerilogLoggerProvider");
        Assert.DoesNotContain(providers, p => p.GetType().Name == "ConsoleLoggerProvider");
    }

    private static WebApplication Build(string host, Dictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Silo:Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Silo:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Silo:DashboardPort"] = "0",
        };
        if (host == "cluster")
        {
            values["Cluster:Membership"] = "Postgres";
            // Never opened: the host is only built.
            values["ConnectionStrings:Cluster"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=postgres";
        }

        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        void Configure(WebApplicationBuilder builder)
        {
            builder.Configuration.AddInMemoryCollection(values);
            configure?.Invoke(builder);
        }

        return host == "cluster" ? ClusterSiloHost.Build([], Configure) : SiloHost.Build([], Configure);
    }
}
