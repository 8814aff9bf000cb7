using Microsoft.Extensions.Configuration;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Switchboard.Silo.Hosting;
using Switchboard.TwilioSim;

namespace Switchboard.Silo.Tests.Hosting;

/// <summary>
/// End-to-end tests of embedded mode over real loopback sockets: the host built exactly as the run command
/// builds it, Twilio calls from the simulator, and /health read over HTTP.
/// </summary>
public sealed class EmbeddedModeTests
{
    [Fact]
    public async Task Start_PortAlreadyTaken_ExitsWithMessageNamingPortAndKey()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var error = new StringWriter();
        var originalError = Console.Error;
        Console.SetError(error);
        int exitCode;
        try
        {
            exitCode = await SiloHost.RunAsync([$"--Gateway:Port={port}", "--Gateway:BindAddress=127.0.0.1", "--Logging:MinimumLevel=Fatal"]);
        }
        finally
        {
            Console.SetError(originalError);
        }

        Assert.Equal(1, exitCode);
        Assert.Contains($"port {port} is already in use", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Gateway:Port", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ProductionWithoutTwilioVariables_RefusesNamingEachMissingVariable()
    {
        var app = SiloHost.Build(
            ["--environment", "Production"],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:Port"] = "0",
                ["Gateway:BindAddress"] = "127.0.0.1",
                ["Logging:MinimumLevel"] = "Fatal",
                ["TWILIO_ACCOUNT_SID"] = null,
                ["TWILIO_AUTH_TOKEN"] = null,
                ["PUBLIC_URL"] = null,
                // Production also requires TLS or a known proxy; listed so that only the Twilio variables are missing.
                ["Gateway:KnownProxies"] = "10.0.0.1",
            }));
        await using (app)
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains("TWILIO_ACCOUNT_SID", error.Message, StringComparison.Ordinal);
            Assert.Contains("TWILIO_AUTH_TOKEN", error.Message, StringComparison.Ordinal);
            Assert.Contains("PUBLIC_URL", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Call_SimulatedTwilioCalls_AudioEchoedAndHealthCountsThemThenReturnsToZero()
    {
        await using var silo = await EmbeddedSilo.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var simulation = Simulator.RunAsync(
            new SimulatorOptions
            {
                Url = silo.MediaStreamUrl,
                Calls = 3,
                Duration = TimeSpan.FromSeconds(4),
                Ramp = TimeSpan.Zero,
                Drain = TimeSpan.FromSeconds(3),
            },
            timeout.Token);

        var peak = 0;
        while (!simulation.IsCompleted && peak < 3)
        {
            peak = Math.Max(peak, (await ReadHealthAsync(http, timeout.Token)).Connections);
            await Task.Delay(100, timeout.Token);
        }

        var summary = await simulation;
        Assert.True(summary.ExitCode == 0, summary.ToText());
        Assert.Equal(3, summary.Connected);
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Mismatched);
        Assert.Equal(summary.BytesSent, summary.BytesEchoed);
        Assert.True(summary.MarksEchoed > 0, "the echo application sends a mark after each chunk");
        Assert.True(peak >= 3, $"/health should count the 3 running calls; the most it showed was {peak}");

        var after = await WaitForHealthAsync(http, h => h.Connections == 0, timeout.Token);
        Assert.Equal(0, after.Connections);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Health_EmbeddedSiloRunning_ReportsHealthyWithGatewayAndSilo()
    {
        await using var silo = await EmbeddedSilo.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var health = await WaitForHealthAsync(http, h => h.Status == "healthy", timeout.Token);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(health.Uptime >= 0);
        Assert.Equal(0, health.Connections);
    }

    private static async Task<HealthReading> WaitForHealthAsync(HttpClient http, Func<HealthReading, bool> condition, CancellationToken cancellationToken)
    {
        HealthReading last = new(HttpStatusCode.ServiceUnavailable, "none", -1, -1);
        while (!cancellationToken.IsCancellationRequested)
        {
            last = await ReadHealthAsync(http, cancellationToken);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"/health never met the expected condition; last reading: {last}");
    }

    private static async Task<HealthReading> ReadHealthAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = document.RootElement;
        return new HealthReading(
            response.StatusCode,
            root.GetProperty("status").GetString() ?? "missing",
            root.GetProperty("connections").GetInt32(),
            root.GetProperty("uptime").GetDouble());
    }

    private sealed record HealthReading(HttpStatusCode StatusCode, string Status, int Connections, double Uptime);
}
