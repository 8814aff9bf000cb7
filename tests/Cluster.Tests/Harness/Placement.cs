namespace Switchboard.Cluster.Tests.Harness;

/// <summary>Reading placement from the membership and directory tables.</summary>
internal static class Placement
{
    /// <summary>The directory form (<c>host:port@generation</c>) of <paramref name="silo"/>'s newest row.</summary>
    public static string AddressOf(IReadOnlyList<MembershipRow> members, ClusterProcess silo)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(silo);
        return members.Where(m => m.Port == silo.Port).MaxBy(m => m.Generation)?.SiloAddress ?? $"(no row for port {silo.Port})";
    }

    /// <summary>Why the directory is not "exactly one row per key, none on <paramref name="goneSilo"/>" (empty when it is).</summary>
    public static List<string> DirectoryProblems(IReadOnlyCollection<string> keys, IReadOnlyList<DirectoryRow> rows, string? goneSilo)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(rows);
        var problems = new List<string>();
        foreach (var key in keys)
        {
            var mine = rows.Where(r => r.GrainKey == key).ToList();
            if (mine.Count != 1)
            {
                problems.Add($"{key} has {mine.Count} rows");
            }
            else if (mine[0].Silo == goneSilo)
            {
                problems.Add($"{key} still on {goneSilo}");
            }
        }

        return problems;
    }
}
