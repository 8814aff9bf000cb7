namespace Switchboard.Silo.Hosting;

/// <summary>Defaults of embedded mode, in one place so the README and the code cannot disagree.</summary>
internal static class EmbeddedDefaults
{
    /// <summary>Gateway port (<c>Gateway:Port</c>).</summary>
    public const int GatewayPort = 8081;

    /// <summary>Address Kestrel listens on (<c>Gateway:BindAddress</c>).</summary>
    public const string BindAddress = "0.0.0.0";
}
