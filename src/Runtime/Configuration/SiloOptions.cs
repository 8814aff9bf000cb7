namespace Switchboard.Runtime.Configuration;

/// <summary>Identity and endpoint of this silo (configuration section <c>Silo</c>).</summary>
public sealed class SiloOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Silo";

    /// <summary>Default <see cref="Port"/> (Orleans' silo port).</summary>
    public const int DefaultPort = 11111;

    /// <summary>Human-readable silo name used in logs and as the prefix of the silo's runtime id. Default <c>silo</c>.</summary>
    public string SiloName { get; set; } = "silo";

    /// <summary>Cluster mode: TCP port for silo-to-silo and gateway-to-silo traffic. Default 11111; 0 picks a free port.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Cluster mode: address the silo listens on. Default <c>0.0.0.0</c> (all interfaces).</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>Cluster mode: address other nodes use to reach this silo, written to the membership table. Default
    /// <c>127.0.0.1</c> (one machine); set it to the container or host name in a real deployment.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
}
