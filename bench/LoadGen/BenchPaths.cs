namespace Switchboard.Bench.LoadGen;

/// <summary>Where the servers' Release builds are, relative to the repository root (the folder holding Orleans.sln).</summary>
internal sealed record BenchPaths(string Root)
{
    /// <summary>The baseline server.</summary>
    public string BaselineDll => Path.Combine(Root, "bench", "Baseline", "bin", "Release", "net10.0", "Baseline.dll");

    /// <summary>Switchboard's embedded-mode host.</summary>
    public string SiloDll => Path.Combine(Root, "src", "Silo", "bin", "Release", "net10.0", "Switchboard.Silo.dll");

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

    /// <summary>A message naming a missing build, or null when both exist.</summary>
    public string? Check()
    {
        foreach (var file in new[] { BaselineDll, SiloDll })
        {
            if (!File.Exists(file))
            {
                return $"{file} not found: build Release first (bash bench/run.sh does).";
            }
        }

        return null;
    }
}
