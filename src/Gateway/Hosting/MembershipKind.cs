namespace Switchboard.Gateway.Hosting;

/// <summary>Where the cluster's membership is kept (<c>Cluster:Membership</c>).</summary>
public enum MembershipKind
{
    /// <summary>Embedded mode: one process, localhost clustering, in-memory grain storage.</summary>
    InMemory,
    /// <summary>Cluster mode: Orleans' ADO.NET clustering and grain storage on PostgreSQL.</summary>
    Postgres,
}
