using Switchboard.Grains;
using Switchboard.Runtime.Membership;

namespace Switchboard.Gateway.Health;

/// <summary>
/// Adds what this gateway's membership view knows to the health grain's answer (cluster mode only):
/// <list type="bullet">
/// <item><description>degraded while the membership store does not answer (calls keep flowing, but no node can join
/// and no dead silo can be declared);</description></item>
/// <item><description>degraded while an Active silo carries death votes or is suspected (it is being declared dead;
/// its calls are failing over);</description></item>
/// <item><description>an unreachable health grain is degraded rather than unhealthy while Active silos exist (the
/// grain is moving after its silo died); with no Active silo it stays unhealthy.</description></item>
/// </list>
/// </summary>
internal static class ClusterHealthOverlay
{
    public static HealthSnapshot Apply(HealthSnapshot snapshot, ClusterMembershipSnapshot cluster)
    {
        var reasons = new List<string>();
        if (!cluster.StoreReachable)
        {
            reasons.Add("membership store unreachable");
        }

        foreach (var entry in cluster.Table.Entries)
        {
            if (entry.Status == SiloStatus.Active && (entry.SuspectTimes.Count > 0 || cluster.Suspected.Contains(entry.Silo)))
            {
                reasons.Add($"silo {entry.Silo} is suspected and being declared dead");
            }
        }

        var status = snapshot.Status;
        var grainUnreachable = snapshot.Nodes.Count == 0 && snapshot.Reasons.Any(r => r.StartsWith("health grain unreachable", StringComparison.Ordinal));
        if (grainUnreachable && cluster.ActiveSilos.Count > 0)
        {
            status = HealthStatus.Degraded;
        }

        if (reasons.Count > 0 && status == HealthStatus.Healthy)
        {
            status = HealthStatus.Degraded;
        }

        return reasons.Count == 0 && status == snapshot.Status
            ? snapshot
            : snapshot with { Status = status, Reasons = [.. snapshot.Reasons, .. reasons] };
    }
}
