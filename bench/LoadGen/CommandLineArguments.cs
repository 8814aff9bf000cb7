using System.Globalization;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// The parsed command line: <c>compare | smoke | trial | idle</c> followed by <c>--name value</c> options
/// (<c>--quick</c> is a flag). Errors are values (<see cref="Error"/>), never exceptions.
/// </summary>
internal sealed class CommandLineArguments
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: LoadGen <command> [options]
          compare  interleaved baseline/embedded/cluster: sweep, capacity search, idle memory; prints tables, writes JSON
                   --servers baseline,embedded,cluster (all three)
                   --quick  --media-seconds S (10; quick 5)  --ramp-rate R (200 calls/s)  --sweep 100,200,400
                   --search-start N (100)  --max-calls N (6400)  --resolution F (0.05; quick 0.10)
                   --max-trials N (10 per server; quick 7)  --idle-calls N (2000)  --budget-minutes M (15; quick 8)
                   --out PATH (bench/results/latest.json)
          smoke    each server, 3 calls for 3 s; exit 1 only if the run itself fails   [--servers ...] (all three)
          trial    --server baseline|embedded|cluster --calls N [--media-seconds S] [--ramp-rate R]   one trial, JSON line
          idle     --server baseline|embedded|cluster --calls N [--ramp-rate R]                       RSS per idle call, JSON line
        cluster runs one gateway and one silo process on a PostgreSQL this program starts (tools/ci/postgres.sh) and
        destroys at the end; 'switchboard' still means embedded.
        every command: --root PATH (repository root; default: found from this program's folder)
        """;

    private readonly Dictionary<string, string> _values = [];

    /// <summary>The command word.</summary>
    public string Command { get; private set; } = string.Empty;

    /// <summary>Why the command line is invalid, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>Parses <paramref name="args"/>.</summary>
    public static CommandLineArguments Parse(string[] args)
    {
        var result = new CommandLineArguments();
        if (args.Length == 0)
        {
            result.Error = "no command";
            return result;
        }

        result.Command = args[0];
        for (int i = 1; i < args.Length; i++)
        {
            string name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                result.Error = $"unexpected argument '{name}'";
                return result;
            }

            if (name == "--quick")
            {
                result._values[name] = "true";
            }
            else if (i + 1 < args.Length)
            {
                result._values[name] = args[++i];
            }
            else
            {
                result.Error = $"{name} needs a value";
                return result;
            }
        }

        return result;
    }

    /// <summary>Whether a flag or option is present.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>Records an error when <paramref name="name"/> is missing.</summary>
    public void Require(string name)
    {
        if (!Has(name))
        {
            Error ??= $"{name} is required";
        }
    }

    /// <summary>A string option.</summary>
    public string? String(string name) => _values.GetValueOrDefault(name);

    /// <summary>An integer option in [min, max], or the fallback; records an error when invalid.</summary>
    public int Int(string name, int fallback, int min, int max)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
        {
            return value;
        }

        Error ??= $"{name} must be an integer in {min}..{max} (got '{text}')";
        return fallback;
    }

    /// <summary>A number option in (0, max], or the fallback; records an error when invalid.</summary>
    public double Number(string name, double fallback, double max)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && value <= max)
        {
            return value;
        }

        Error ??= $"{name} must be a number in (0, {max}] (got '{text}')";
        return fallback;
    }

    /// <summary>A comma-separated list of call counts, or the fallback; records an error when invalid.</summary>
    public IReadOnlyList<int> IntList(string name, IReadOnlyList<int> fallback)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        var list = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < 1 || value > 100_000)
            {
                Error ??= $"{name} must list call counts in 1..100000 (got '{text}')";
                return fallback;
            }

            list.Add(value);
        }

        return list;
    }

    /// <summary>The <c>--server</c> option; records an error when missing or unknown.</summary>
    public ServerKind Server()
    {
        if (String("--server") is { } text && ServerKindExtensions.ParseCommandName(text) is { } kind)
        {
            return kind;
        }

        Error ??= $"--server must be 'baseline', 'embedded' or 'cluster' (got '{String("--server")}')";
        return ServerKind.Baseline;
    }

    /// <summary>
    /// The <c>--servers</c> option: a comma-separated list of server names, in the order the comparison interleaves them
    /// (duplicates dropped); all three when absent. Records an error when a name is unknown or the list is empty.
    /// </summary>
    public IReadOnlyList<ServerKind> Servers()
    {
        if (!_values.TryGetValue("--servers", out var text))
        {
            return ServerKindExtensions.All;
        }

        var kinds = new List<ServerKind>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ServerKindExtensions.ParseCommandName(part) is not { } kind)
            {
                Error ??= $"--servers must list baseline, embedded or cluster (got '{part}' in '{text}')";
                return ServerKindExtensions.All;
            }

            if (!kinds.Contains(kind))
            {
                kinds.Add(kind);
            }
        }

        if (kinds.Count == 0)
        {
            Error ??= "--servers must name at least one server";
            return ServerKindExtensions.All;
        }

        return kinds;
    }
}
