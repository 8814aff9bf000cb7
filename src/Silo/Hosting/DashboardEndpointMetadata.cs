namespace Switchboard.Silo.Hosting;

/// <summary>Marks the Orleans dashboard's endpoints, so <see cref="SiloConfiguration.UseDashboardPortSeparation"/> can
/// tell them from the gateway's.</summary>
internal sealed class DashboardEndpointMetadata
{
    /// <summary>The one instance.</summary>
    public static readonly DashboardEndpointMetadata Instance = new();

    private DashboardEndpointMetadata()
    {
    }
}
