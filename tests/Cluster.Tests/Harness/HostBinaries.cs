using Switchboard.TestInfrastructure;

namespace Switchboard.Cluster.Tests.Harness;

/// <summary>
/// Where the built hosts are: <c>src/Silo/bin/{Configuration}/net10.0/Switchboard.Silo.dll</c> and the gateway's
/// equivalent, with the configuration this test assembly was built in. The tests launch these files, so a missing file
/// fails with the command that builds it instead of a confusing start-up timeout.
/// </summary>
internal static class HostBinaries
{
    /// <summary>The silo host.</summary>
    public static string SiloDll => Require(Path.Combine("src", "Silo", "bin", Configuration, "net10.0", "Switchboard.Silo.dll"));

    /// <summary>The gateway host.</summary>
    public static string GatewayDll => Require(Path.Combine("src", "Gateway", "bin", Configuration, "net10.0", "Switchboard.Gateway.dll"));

    // tests/Cluster.Tests/bin/<Configuration>/net10.0/
    private static string Configuration =>
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent?.Name ?? "Release";

    private static string Require(string relative)
    {
        var path = Path.Combine(PostgresServer.RepositoryRoot(), relative);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The cluster tests launch the built host {relative}, which does not exist. "
                + $"Build first: `dotnet build Orleans.sln -c {Configuration}` (or `dotnet build tests/Cluster.Tests -c {Configuration}`).");
        }

        return path;
    }
}
