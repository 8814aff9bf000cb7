namespace Switchboard.Silo.Hosting;

/// <summary>Identity and endpoints of this silo (configuration section <c>Silo</c>). Two silos on one machine need
/// only different <see cref="Port"/>, <see cref="GatewayPort"/> and <see cref="DashboardPort"/>.</summary>
internal sealed class SiloEndpointOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Silo";

    /// <summary>The silo's name in membership, logs and the dashboard. Default <c>silo</c>.</summary>
    public string SiloName { get; set; } = "silo";

    /// <summary>Orleans' silo-to-silo port. Default 11111.</summary>
    public int Port { get; set; } = 11111;

    /// <summary>Orleans' client (gateway) port, which Switchboard gateways connect to in cluster mode. Default 30000.
    /// Embedded mode has no external clients and opens none.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address other nodes use to reach this silo, written to the membership table. Default <c>127.0.0.1</c>;
    /// set it to the container's or host's address in a real deployment.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Address the silo and gateway ports listen on. Default <c>0.0.0.0</c> (all interfaces).</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>Port of the Orleans dashboard (HTTP); 0 turns it off. Default 8080.</summary>
    public int DashboardPort { get; set; } = 8080;
}
