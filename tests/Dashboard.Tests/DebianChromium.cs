using Microsoft.Playwright;

namespace Switchboard.Dashboard.Tests;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, apt package <c>chromium</c>) driven by Microsoft.Playwright, headless, in a
/// fresh user data directory that is deleted afterwards. Playwright never downloads a browser here: the executable is
/// given, and its driver (node and the Playwright package) ships in the NuGet package's <c>.playwright</c> folder.
/// The flags keep Chromium off the network it would otherwise try to reach (updates, sync, Google's hosts): this
/// machine's network is closed, and refused connections at every start only slow it down.
/// </summary>
internal sealed class DebianChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] s_arguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _userDataDirectory;

    private DebianChromium(IPlaywright playwright, IBrowserContext context, string userDataDirectory)
    {
        _playwright = playwright;
        Context = context;
        _userDataDirectory = userDataDirectory;
    }

    public IBrowserContext Context { get; }

    /// <summary>Launches Chromium with <paramref name="credentials"/> answering HTTP authentication challenges.</summary>
    public static async Task<DebianChromium> LaunchAsync(HttpCredentials? credentials)
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} does not exist: install Debian's Chromium (`apt-get install -y chromium`).");
        }

        var userDataDirectory = Directory.CreateTempSubdirectory("switchboard-dashboard-chromium-").FullName;
        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(
                userDataDirectory,
                new BrowserTypeLaunchPersistentContextOptions
                {
                    ExecutablePath = ExecutablePath,
                    Headless = true,
                    Args = s_arguments,
                    HttpCredentials = credentials,
                    Timeout = 60_000,
                });
            return new DebianChromium(playwright, context, userDataDirectory);
        }
        catch
        {
            playwright.Dispose();
            Directory.Delete(userDataDirectory, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        Directory.Delete(_userDataDirectory, recursive: true);
    }
}
