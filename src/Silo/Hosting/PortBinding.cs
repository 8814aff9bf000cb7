using System.Net;

namespace Switchboard.Silo.Hosting;

/// <summary>A port the host listens on, with the configuration key that sets it; see <see cref="PortConflict"/>.</summary>
internal readonly record struct PortBinding(string Key, IPAddress Address, int Port)
{
    /// <summary>The key as an environment variable (<c>Silo__Port</c>).</summary>
    public string EnvironmentVariable => Key.Replace(":", "__", StringComparison.Ordinal);
}
