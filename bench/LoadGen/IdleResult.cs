namespace Switchboard.Bench.LoadGen;

/// <summary>
/// Server memory for idle calls: RSS before and after opening them (connected + start, no media), summed over the
/// server's processes (gateway + silo in cluster mode), each process in <see cref="Processes"/>.
/// </summary>
internal sealed record IdleResult
{
    /// <summary>Server under test.</summary>
    public required ServerKind Server { get; init; }

    /// <summary>Idle calls requested.</summary>
    public required int Calls { get; init; }

    /// <summary>Calls opened and still open when RSS was read.</summary>
    public int Open { get; init; }

    /// <summary>Calls that failed to open or were closed by the server.</summary>
    public int Failed { get; init; }

    /// <summary>Server VmRSS before opening the calls, kB (all of its processes).</summary>
    public long RssBeforeKb { get; init; }

    /// <summary>Server VmRSS with the calls open, kB (all of its processes).</summary>
    public long RssAfterKb { get; init; }

    /// <summary>(after − before) / open calls, bytes.</summary>
    public double BytesPerCall { get; init; }

    /// <summary>Each process of the server: VmRSS before and after, kB.</summary>
    public IReadOnlyList<ProcessMemory> Processes { get; init; } = [];

    /// <summary>Why the measurement could not run, else null.</summary>
    public string? Failure { get; init; }
}
