using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Switchboard.TestInfrastructure;
using Xunit.Abstractions;

namespace Switchboard.Dashboard.Tests;

/// <summary>
/// The Orleans dashboard of the embedded host, end to end: real Chromium (Debian's package, driven by Microsoft.Playwright)
/// opens it behind Basic authentication while simulated Twilio calls stream, and sees the silo and the connection grain
/// type with one activation per live call.
/// </summary>
public sealed class DashboardTests(ITestOutputHelper output)
{
    /// <summary>How the dashboard names the connection grain's type (<c>[GrainType("connection")]</c>): its class's full
    /// name, shortened on the page to the last segment.</summary>
    private const string ConnectionGrainClass = "Switchboard.Grains.Connection.ConnectionGrain";

    private const int Calls = 5;

    /// <summary>Long enough for the browser to start and look while every call still streams (measured: about 1 s from
    /// the calls streaming to Chromium's start, 2.5 s more to check both views); the simulator then drains, stops and
    /// exits by itself.</summary>
    private static readonly TimeSpan CallDuration = TimeSpan.FromSeconds(20);

    /// <summary>Bound of every wait on page content: generous, the machine is shared; a passing run needs 1-2 s.</summary>
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Dashboard_NoOrWrongCredentials_Answers401WithBasicChallenge()
    {
        await using var host = await DashboardHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.DashboardAddress, Timeout = TimeSpan.FromSeconds(10) };

        using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        var challenge = Assert.Single(page.Headers.WwwAuthenticate);
        Assert.Equal("Basic", challenge.Scheme);

        // The data behind the page is refused too, not only the page.
        using var counters = await http.GetAsync(new Uri("/DashboardCounters", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, counters.StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        wrong.Headers.Authorization = Basic(DashboardHost.Username, DashboardHost.Password + "x");
        using var refused = await http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // The same request with the right password is let in: the 401s above are about the credentials, not the route.
        using var right = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        right.Headers.Authorization = Basic(DashboardHost.Username, DashboardHost.Password);
        using var admitted = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
    }

    [Fact]
    public async Task Dashboard_ChromiumWithCredentialsWhileCallsStream_ShowsSiloAndConnectionGrainActivationPerCall()
    {
        var clock = Stopwatch.StartNew();
        await using var host = await DashboardHost.StartAsync();
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: host started (gateway {host.GatewayPort}, silo {host.SiloPort}, dashboard {host.DashboardPort})");
        using var http = new HttpClient { BaseAddress = host.GatewayAddress, Timeout = TimeSpan.FromSeconds(10) };

        await using var sim = TwilioSimProcess.Start(host.MediaStreamUrl, Calls, CallDuration);
        var connections = -1;
        await TestWait.UntilAsync(
            async () => !sim.HasExited && (connections = await ReadConnectionsAsync(http)) == Calls,
            $"phase 'calls streaming': /health on the gateway counts {Calls} connections",
            () => $"connections={connections}; TwilioSim {sim.Output()}",
            TimeSpan.FromSeconds(30));
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: {Calls} calls streaming");

        await using var chromium = await DebianChromium.LaunchAsync(new HttpCredentials { Username = DashboardHost.Username, Password = DashboardHost.Password });
        var page = chromium.Context.Pages.Count > 0 ? chromium.Context.Pages[0] : await chromium.Context.NewPageAsync();
        page.SetDefaultTimeout((float)PageTimeout.TotalMilliseconds);
        Assertions.SetDefaultExpectTimeout((float)PageTimeout.TotalMilliseconds);
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: Chromium {chromium.Context.Browser?.Version} launched");
        try
        {
            var response = await page.GotoAsync(host.DashboardAddress.ToString());
            Assert.NotNull(response);
            Assert.Equal((int)HttpStatusCode.OK, response.Status);

            // Silos view, through the menu: one active silo, the embedded one, by address (its silo port), status and name.
            await page.GetByRole(AriaRole.Link, new() { Name = "Silos", Exact = true }).ClickAsync();
            await Assertions.Expect(InfoBoxNumber(page, "Active Silos")).ToHaveTextAsync("1");
            var siloRows = Card(page, "Silo Health").Locator("tr");
            await Assertions.Expect(siloRows).ToHaveCountAsync(1);
            var siloCells = siloRows.Locator("td");
            await Assertions.Expect(siloCells.Nth(0).Locator("a[href^='#/host/']")).ToHaveTextAsync(new Regex($"^127\\.0\\.0\\.1:{host.SiloPort}@\\d+$"));
            await Assertions.Expect(siloCells.Nth(1)).ToHaveTextAsync("Active");
            await Assertions.Expect(siloCells.Nth(2)).ToHaveTextAsync(DashboardHost.SiloName);
            output.WriteLine($"{clock.ElapsedMilliseconds} ms: Silos view, Silo Health row: {Squash(await siloRows.InnerTextAsync())}");

            // Grains view, through the menu: the connection grain's type, shortened to its class name, with one
            // activation per live call.
            await page.GetByRole(AriaRole.Link, new() { Name = "Grains", Exact = true }).ClickAsync();
            var grainTable = Card(page, "Activations by Type");
            await Assertions.Expect(grainTable.Locator("th").Nth(2)).ToHaveTextAsync(new Regex("^Activations"));
            var grainRow = grainTable.Locator("tr").Filter(new() { Has = page.Locator($"td[title='{ConnectionGrainClass}']") });
            await Assertions.Expect(grainRow).ToHaveCountAsync(1);
            await Assertions.Expect(grainRow.Locator($"a[href='#/grain/{ConnectionGrainClass}']")).ToHaveTextAsync("ConnectionGrain");
            await Assertions.Expect(grainRow.Locator("td").Nth(2)).ToHaveTextAsync(Calls.ToString(CultureInfo.InvariantCulture));
            output.WriteLine($"{clock.ElapsedMilliseconds} ms: Grains view row: {Squash(await grainRow.InnerTextAsync())}");
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            var file = await SaveFailureAsync(page, nameof(Dashboard_ChromiumWithCredentialsWhileCallsStream_ShowsSiloAndConnectionGrainActivationPerCall));
            throw new InvalidOperationException($"The dashboard check failed at {page.Url}; screenshot and HTML: {file}. TwilioSim {sim.Output()}", ex);
        }

        // The browser looked while the calls streamed: all of them are still up now that it has seen them.
        Assert.False(sim.HasExited, $"the calls ended before the dashboard was checked (raise {nameof(CallDuration)}): {sim.Output()}");
        Assert.Equal(Calls, await ReadConnectionsAsync(http));

        var (exitCode, summary) = await sim.CompletionAsync(CallDuration + TimeSpan.FromSeconds(30));
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: TwilioSim finished: {summary}");
        Assert.True(exitCode == 0, $"TwilioSim exit code {exitCode}: {summary}");
        Assert.Equal(Calls, summary.GetProperty("connected").GetInt32());
        Assert.Equal(0, summary.GetProperty("lost").GetInt64());
        Assert.Equal(0, summary.GetProperty("mismatched").GetInt64());
    }

    /// <summary>A dashboard panel (<c>.card</c>) by its title.</summary>
    private static ILocator Card(IPage page, string title) =>
        page.Locator(".card").Filter(new() { Has = page.Locator(".card-title", new() { HasTextRegex = new Regex($"^{Regex.Escape(title)}$") }) });

    /// <summary>The number of a dashboard counter widget (<c>.info-box</c>) by its label.</summary>
    private static ILocator InfoBoxNumber(IPage page, string label) =>
        page.Locator(".info-box-content").Filter(new() { Has = page.Locator(".info-box-text", new() { HasTextString = label }) }).Locator(".info-box-number");

    private static AuthenticationHeaderValue Basic(string username, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));

    private static async Task<int> ReadConnectionsAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("connections").GetInt32();
    }

    private static string Squash(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private async Task<string> SaveFailureAsync(IPage page, string test)
    {
        var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "dashboard-failures")).FullName;
        var stem = Path.Combine(directory, $"{test}-{DateTime.UtcNow:yyyyMMddTHHmmss}");
        try
        {
            await page.ScreenshotAsync(new() { Path = stem + ".png", FullPage = true });
            await File.WriteAllTextAsync(stem + ".html", await page.ContentAsync());
        }
        catch (PlaywrightException ex)
        {
            output.WriteLine($"could not save the failure screenshot: {ex.Message}");
        }

        output.WriteLine($"failure screenshot: {stem}.png");
        return stem + ".png";
    }
}
