namespace Switchboard.Runtime.Configuration;

/// <summary>Where cluster membership, the grain directory and grain state live.</summary>
public enum MembershipProviderKind
{
    /// <summary>In process memory: embedded mode, or one shared instance for an in-process test cluster.</summary>
    InMemory = 0,

    /// <summary>PostgreSQL (<c>ConnectionStrings:Cluster</c>).</summary>
    Postgres = 1,
}
