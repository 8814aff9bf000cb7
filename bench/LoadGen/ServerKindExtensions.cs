namespace Switchboard.Bench.LoadGen;

/// <summary>Names of <see cref="ServerKind"/> on the command line and in the tables.</summary>
internal static class ServerKindExtensions
{
    /// <summary>Every kind, in the order a comparison interleaves them.</summary>
    public static IReadOnlyList<ServerKind> All { get; } = [ServerKind.Baseline, ServerKind.Embedded, ServerKind.Cluster];

    /// <summary>The command-line word (<c>baseline</c>, <c>embedded</c>, <c>cluster</c>).</summary>
    public static string CommandName(this ServerKind kind) => kind switch
    {
        ServerKind.Baseline => "baseline",
        ServerKind.Embedded => "embedded",
        _ => "cluster",
    };

    /// <summary>The name in the Markdown tables.</summary>
    public static string DisplayName(this ServerKind kind) => kind switch
    {
        ServerKind.Baseline => "baseline (Kestrel echo)",
        ServerKind.Embedded => "Switchboard embedded",
        _ => "Switchboard cluster (gateway + silo)",
    };

    /// <summary>
    /// Parses a command-line word; null when unknown. <c>switchboard</c> is kept as the earlier name of embedded mode,
    /// so command lines written before cluster mode existed still mean the same thing.
    /// </summary>
    public static ServerKind? ParseCommandName(string text) => text.Trim().ToLowerInvariant() switch
    {
        "baseline" => ServerKind.Baseline,
        "embedded" or "switchboard" => ServerKind.Embedded,
        "cluster" => ServerKind.Cluster,
        _ => null,
    };
}
