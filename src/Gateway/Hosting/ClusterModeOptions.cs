namespace Switchboard.Gateway.Hosting;

/// <summary>Which cluster a node belongs to and where membership is kept (configuration section <c>Cluster</c>),
/// read the same way by silos and gateways.</summary>
public sealed class ClusterModeOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Cluster";

    /// <summary>Name of the connection string (<c>ConnectionStrings:Cluster</c>).</summary>
    public const string ConnectionStringName = "Cluster";

    /// <summary>Default <see cref="ClusterId"/>.</summary>
    public const string DefaultClusterId = "switchboard";

    /// <summary>Orleans' ClusterId (and ServiceId): nodes only talk to nodes with the same id, and membership and
    /// storage rows are scoped by it. Default <c>switchboard</c>.</summary>
    public string ClusterId { get; set; } = DefaultClusterId;

    /// <summary><c>InMemory</c> (default, embedded mode) or <c>Postgres</c> (cluster mode).</summary>
    public MembershipKind Membership { get; set; } = MembershipKind.InMemory;

    /// <summary>Cluster mode's grain directory: <c>Distributed</c> (default) or <c>Default</c> (Orleans' default one).
    /// Silos only; embedded mode has one silo and Orleans' default directory.</summary>
    public GrainDirectoryKind GrainDirectory { get; set; } = GrainDirectoryKind.Distributed;

    /// <summary>Reads the section, with the connection string, from <paramref name="configuration"/>; fails with a
    /// message naming the key when cluster mode lacks what it needs.</summary>
    public static (ClusterModeOptions Options, string? ConnectionString) Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(SectionName).Get<ClusterModeOptions>() ?? new ClusterModeOptions();
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            throw new InvalidOperationException("Cluster:ClusterId must not be empty.");
        }

        if (options.Membership == MembershipKind.Postgres && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "Cluster:Membership=Postgres needs ConnectionStrings:Cluster (environment variable ConnectionStrings__Cluster), but it is not set.");
        }

        return (options, connectionString);
    }
}
