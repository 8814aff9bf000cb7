namespace Switchboard.Runtime.Configuration;

/// <summary>Which cluster a node belongs to and where membership is kept (configuration section <c>Cluster</c>).</summary>
public sealed class ClusterOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Cluster";

    /// <summary>Name of the connection string (<c>ConnectionStrings:Cluster</c>) used by the PostgreSQL providers.</summary>
    public const string ConnectionStringName = "Cluster";

    /// <summary>Default <see cref="ClusterId"/>.</summary>
    public const string DefaultClusterId = "switchboard";

    /// <summary>Cluster id (Orleans' ClusterId / DeploymentId): nodes only talk to nodes with the same id, and every
    /// table row is scoped by it. Default <c>switchboard</c>.</summary>
    public string ClusterId { get; set; } = DefaultClusterId;

    /// <summary><c>InMemory</c> (default, embedded mode) or <c>Postgres</c> (cluster mode).</summary>
    public MembershipProviderKind Membership { get; set; } = MembershipProviderKind.InMemory;

    /// <summary>PostgreSQL connection string; bound from <c>ConnectionStrings:Cluster</c>, required for Postgres.</summary>
    public string? ConnectionString { get; set; }
}
