using System.Net;
using System.Net.Sockets;

namespace Switchboard.TestInfrastructure;

/// <summary>Free loopback TCP ports for hosts whose port must be known before they start (Orleans silo and client
/// ports cannot be 0: the silo advertises the number it was given).</summary>
public static class FreePort
{
    private static readonly Lock s_lock = new();
    private static readonly HashSet<int> s_handedOut = [];

    /// <summary>A port nothing listens on now and that this process has not handed out before.</summary>
    public static int Next()
    {
        lock (s_lock)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (s_handedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
