using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Switchboard.Silo.Hosting;
using Switchboard.TestInfrastructure;

namespace Switchboard.Silo.Tests.Hosting;

/// <summary>
/// Start-up failures an operator can fix, through <see cref="SiloHost.RunAsync"/> exactly as <c>Program.cs</c> calls it:
/// exit code 1 and one line on standard error naming the key to change (embedded and cluster mode). The only class that
/// redirects <see cref="Console.Error"/>, so its tests (run one at a time within the class) cannot read each other's output.
/// </summary>
public sealed class SiloHostStartupTests
{
    [Fact]
    public async Task Run_GatewayPortAlreadyTaken_ExitsWithMessageNamingPortAndKey()
    {
        using var occupant = Occupy(out var port);

        var (exitCode, error) = await RunAsync($"--Gateway:Port={port}", $"--Silo:Port={FreePort.Next()}", "--Silo:DashboardPort=0");

        Assert.Equal(1, exitCode);
        Assert.Contains($"port {port} is already in use", error, StringComparison.Ordinal);
        Assert.Contains("Gateway:Port", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SiloPortAlreadyTaken_ExitsWithMessageNamingPortAndKey()
    {
        using var occupant = Occupy(out var port);

        var (exitCode, error) = await RunAsync("--Gateway:Port=0", $"--Silo:Port={port}", "--Silo:DashboardPort=0");

        Assert.Equal(1, exitCode);
        Assert.Contains($"port {port} is already in use", error, StringComparison.Ordinal);
        Assert.Contains("Silo:Port", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DashboardPortAlreadyTaken_ExitsWithMessageNamingPortAndKey()
    {
        using var occupant = Occupy(out var port);

        var (exitCode, error) = await RunAsync("--Gateway:Port=0", $"--Silo:Port={FreePort.Next()}", $"--Silo:DashboardPort={port}");

        Assert.Equal(1, exitCode);
        Assert.Contains($"port {port} is already in use", error, StringComparison.Ordinal);
        Assert.Contains("Silo:DashboardPort", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Silo:Port")]
    [InlineData("Silo:GatewayPort")]
    [InlineData("Silo:DashboardPort")]
    public async Task Run_ClusterModePortAlreadyTaken_ExitsWithMessageNamingPortAndKey(string key)
    {
        // The ports are checked before the silo's first step on PostgreSQL (its schema), so no server is needed: one
        // that is never there makes a start that got past the check fail on the database instead.
        const string Unreachable = "Host=127.0.0.1;Port=1;Username=postgres;Database=postgres;Timeout=3";
        using var occupant = Occupy(out var port);
        var ports = new Dictionary<string, int> { ["Silo:Port"] = FreePort.Next(), ["Silo:GatewayPort"] = FreePort.Next(), ["Silo:DashboardPort"] = 0 };
        ports[key] = port;

        var (exitCode, error) = await RunAsync(
        [
            "--Cluster:Membership=Postgres", $"--ConnectionStrings:Cluster={Unreachable}", $"--Cluster:ClusterId=port-taken-{Guid.NewGuid():N}",
            .. ports.Select(p => $"--{p.Key}={p.Value}"),
        ]);

        Assert.Equal(1, exitCode);
        Assert.True(
            error.Contains($"Switchboard silo cannot start: port {port} is already in use. Set {key} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)})", StringComparison.Ordinal),
            $"cluster start with {key}={port} taken: expected the message naming that port and key; standard error was: {error}");
    }

    [Theory]
    [InlineData("Silo:Port", "0")]
    [InlineData("Silo:Port", "65536")]
    [InlineData("Silo:DashboardPort", "-1")]
    public async Task Run_PortOutOfRange_ExitsWithMessageNamingKeyAndValue(string key, string value)
    {
        string[] args = ["--Gateway:Port=0", $"--Silo:Port={FreePort.Next()}", "--Silo:DashboardPort=0", $"--{key}={value}"];

        var (exitCode, error) = await RunAsync(args);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{key} must be a TCP port", error, StringComparison.Ordinal);
        Assert.Contains($"but was {value}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ProductionDashboardWithoutCredentials_ExitsWithMessageNamingBothKeys()
    {
        var (exitCode, error) = await RunAsync(
            "--environment", "Production", "--Gateway:Port=0", $"--Silo:Port={FreePort.Next()}", $"--Silo:DashboardPort={FreePort.Next()}");

        Assert.Equal(1, exitCode);
        Assert.Contains("Dashboard:Username", error, StringComparison.Ordinal);
        Assert.Contains("Dashboard:Password", error, StringComparison.Ordinal);
        Assert.Contains("Silo:DashboardPort=0", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ClusterModeWithoutConnectionString_ExitsWithMessageNamingTheKey()
    {
        var (exitCode, error) = await RunAsync(
            "--Cluster:Membership=Postgres", $"--Silo:Port={FreePort.Next()}", $"--Silo:GatewayPort={FreePort.Next()}", "--Silo:DashboardPort=0");

        Assert.Equal(1, exitCode);
        Assert.Contains("Switchboard silo cannot start", error, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Cluster", error, StringComparison.Ordinal);
    }

    private static TcpListener Occupy(out int port)
    {
        var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        return occupant;
    }

    private static async Task<(int ExitCode, string Error)> RunAsync(params string[] args)
    {
        var error = new StringWriter(CultureInfo.InvariantCulture);
        var originalError = Console.Error;
        Console.SetError(error);
        try
        {
            var exitCode = await TestWait.CompletesAsync(
                SiloHost.RunAsync([.. args, "--Gateway:BindAddress=127.0.0.1", "--Silo:ListenAddress=127.0.0.1", "--Logging:MinimumLevel=Fatal"]),
                "the silo host's failed start", InProcessHost.StartTimeout);
            return (exitCode, error.ToString());
        }
        finally
        {
            Console.SetError(originalError);
        }
    }
}
