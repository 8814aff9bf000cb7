using System.Net;
using System.Net.Sockets;

namespace Switchboard.Runtime.Hosting;

/// <summary>Picks a free TCP port for <c>Silo:Port=0</c>. The silo's identity (written to membership) must name its
/// port before the listener starts, so the port is chosen by a throwaway bind; another process could take it in the
/// instant between, in which case start-up fails with "address in use" and can simply be retried.</summary>
internal static class FreePort
{
    public static int Pick(string listenAddress)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Parse(listenAddress), 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
