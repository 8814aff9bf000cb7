namespace Switchboard.Cluster.Tests.Harness;

/// <summary>
/// Which silo hosts a call's connection grain, read from the silos' own logs. Orleans 10.4.2's distributed grain
/// directory lives in the silos' memory (no table to read), and <c>orleansstorage</c> names the grain but not the silo;
/// but each silo process's stdout is its own, and the connection grain logs with the call's streamSid as
/// <c>connectionId</c> when the call starts on it (<c>StateChanged</c>) and when an activation restores it (<c>Restored</c>).
/// So the silo whose output holds the newest grain event for a streamSid is where that call's activation is.
/// </summary>
internal static class Placement
{
    /// <summary>For each of <paramref name="streamSids"/>: the silo of <paramref name="silos"/> whose newest connection
    /// grain event for it is the latest, or null when no silo has logged it yet.</summary>
    public static Dictionary<string, ClusterProcess?> HostsOf(IEnumerable<ClusterProcess> silos, IEnumerable<string> streamSids)
    {
        ArgumentNullException.ThrowIfNull(silos);
        ArgumentNullException.ThrowIfNull(streamSids);
        var latest = new Dictionary<string, (long At, ClusterProcess Silo)>(StringComparer.Ordinal);
        foreach (var silo in silos)
        {
            foreach (var e in silo.ConnectionEvents().Where(e => e.IsGrain))
            {
                if (!latest.TryGetValue(e.ConnectionId, out var seen) || e.ReceivedAt >= seen.At)
                {
                    latest[e.ConnectionId] = (e.ReceivedAt, silo);
                }
            }
        }

        return streamSids.Distinct(StringComparer.Ordinal)
            .ToDictionary(s => s, s => latest.TryGetValue(s, out var seen) ? seen.Silo : null, StringComparer.Ordinal);
    }

    /// <summary>The restores (<c>Restored</c>) logged by <paramref name="silos"/> for <paramref name="streamSid"/>, with the silo that logged each.</summary>
    public static List<(ClusterProcess Silo, ConnectionEvent Event)> RestoresOf(IEnumerable<ClusterProcess> silos, string streamSid)
    {
        ArgumentNullException.ThrowIfNull(silos);
        return [.. silos.SelectMany(s => s.ConnectionEvents().Where(e => e.IsRestore && e.ConnectionId == streamSid).Select(e => (s, e)))];
    }

    /// <summary>"silo1=12, silo2=8" for a placement.</summary>
    public static string Describe(IReadOnlyDictionary<string, ClusterProcess?> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        return string.Join(", ", hosts.GroupBy(h => h.Value?.Name ?? "(none)").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));
    }
}
