using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Switchboard.Silo.Hosting;
using Switchboard.TestInfrastructure;
using Switchboard.TwilioSim;

namespace Switchboard.Silo.Tests.Hosting;

/// <summary>
/// End-to-end tests of embedded mode over real loopback sockets: the host built exactly as the run command
/// builds it, Twilio calls from the simulator, and /health read over HTTP. Start-up failures through the run command
/// are in <see cref="SiloHostStartupTests"/>.
/// </summary>
public sealed class EmbeddedModeTests
{
    [Fact]
    public async Task Start_ProductionWithoutTwilioVariables_RefusesNamingEachMissingVariable()
    {
        var app = SiloHost.Build(
            ["--environment", "Production", "--Logging:MinimumLevel=Fatal"],
            builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:Port"] = "0",
                ["Gateway:BindAddress"] = "127.0.0.1",
                ["Silo:Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["Silo:DashboardPort"] = "0",
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
    public async Task Health_EmbeddedSiloRunning_ShowsMembershipWithOneActiveSilo()
    {
        await using var silo = await EmbeddedSilo.StartAsync(new Dictionary<string, string?> { ["Silo:SiloName"] = "embedded-test" });
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var health = await WaitForHealthAsync(http, h => h.Status == "healthy", timeout.Token);

        var membership = health.Body.TryGetProperty("membership", out var m)
            ? m
            : throw new Xunit.Sdk.XunitException($"/health has no membership: {health.Body}");
        Assert.True(membership.GetProperty("version").GetInt64() > 0, $"membership version: {membership}");
        var silos = membership.GetProperty("silos").EnumerateArray().ToArray();
        var only = Assert.Single(silos);
        Assert.Equal("Active", only.GetProperty("status").GetString());
        Assert.Equal("embedded-test", only.GetProperty("name").GetString());
        Assert.Contains($"127.0.0.1:{silo.SiloPort}", only.GetProperty("address").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_OneSimulatedTwilioCall_EveryByteEchoedInOrderNothingLost()
    {
        await using var silo = await EmbeddedSilo.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var options = new SimulatorOptions { Url = silo.MediaStreamUrl, Calls = 1, Duration = TimeSpan.FromSeconds(3), Drain = TimeSpan.FromSeconds(3) };

        var summary = await Simulator.RunAsync(options, timeout.Token);

        Assert.True(summary.ExitCode == 0, summary.ToText());
        var call = Assert.Single(summary.CallResults);
        Assert.True(call.WasConnected, call.ToString());
        // Every 20 ms frame of the 3 s was sent, 160 bytes each.
        Assert.Equal(options.FramesPerCall, call.MediaSent);
        Assert.Equal(options.FramesPerCall * 160L, call.BytesSent);
        // The simulator compares the n-th echoed byte with the n-th sent one: reordering counts as mismatched.
        Assert.Equal(0, call.Mismatched);
        Assert.Equal(0, call.Lost);
        Assert.Equal(call.BytesSent, call.BytesEchoed);
        Assert.False(call.ServerClosed, "the server closed the call: " + call);
        Assert.Empty(call.Errors);
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
        HealthReading last = new(HttpStatusCode.ServiceUnavailable, "none", -1, -1, default);
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
            root.GetProperty("uptime").GetDouble(),
            root.Clone());
    }

    private sealed record HealthReading(HttpStatusCode StatusCode, string Status, int Connections, double Uptime, JsonElement Body);
}
