namespace Switchboard.Bench.LoadGen;

/// <summary>Where the servers' Release builds are, relative to the repository root (the folder holding Orleans.sln).</summary>
internal sealed record BenchPaths(string Root)
{
    /// <summary>The baseline server.</summary>
    public string BaselineDll => Path.Combine(Root, "bench", "Baseline", "bin", "Release", "net10.0", "Baseline.dll");

    /// <summary>Switchboard's silo host: embedded mode without cluster configuration, the silo of cluster mode with it.</summary>
    public string SiloDll => Path.Combine(Root, "src", "Silo", "bin", "Release", "net10.0", "Switchboard.Silo.dll");

    /// <summary>Cluster mode's gateway-only host.</summary>
    public string GatewayDll => Path.Combine(Root, "src", "Gateway", "bin", "Release", "net10.0", "Switchboard.Gateway.dll");

    /// <summary>The script that installs, starts and destroys a throwaway PostgreSQL.</summary>
    public string PostgresScript => Path.Combine(Root, "tools", "ci", "postgres.sh");

    /// <summary>The repository root: <paramref name="explicitRoot"/>, else the first parent of this program holding Orleans.sln.</summary>
    public static BenchPaths Locate(string? explicitRoot)
    {
        if (explicitRoot is not null)
        {
            return new BenchPaths(Path.GetFullPath(explicitRoot));
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Orleans.sln")))
                {
                    return new BenchPaths(dir.FullName);
                }
            }
        }

        return new BenchPaths(Directory.GetCurrentDirectory());
    }

    /// <summary>A message naming a missing build or script that <paramref name="kinds"/> need, or null when all exist.</summary>
    public string? Check(IEnumerable<ServerKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var files = new List<string>();
        foreach (var kind in kinds.Distinct())
        {
            files.AddRange(kind switch
            {
                ServerKind.Baseline => [BaselineDll],
                ServerKind.Embedded => [SiloDll],
                _ => [SiloDll, GatewayDll, PostgresScript],
            });
        }

        foreach (var file in files.Distinct())
        {
            if (!File.Exists(file))
            {
                return $"{file} not found: build Release first (bash bench/run.sh does).";
            }
        }

        return null;
    }
}
