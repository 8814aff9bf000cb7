using System.Net.Sockets;

namespace Switchboard.Silo.Hosting;

/// <summary>
/// Names the port that stopped the start. Kestrel (gateway, dashboard) and Orleans (silo, client port) both fail with
/// the same <c>AddressInUseException</c>, and only Kestrel's message names the address, so after the failed host has
/// stopped this binds each configured port once: the first that cannot be bound is the one to change. The embedded host
/// runs it on the way out of a failed start, to word the message; the cluster silo runs it before its start (see
/// <see cref="ClusterSiloHost.RunAsync"/>). A port taken or freed meanwhile gives the general message.
/// </summary>
internal static class PortConflict
{
    /// <summary>The first of <paramref name="bindings"/> (ephemeral ones skipped) whose port is taken, or null.</summary>
    public static PortBinding? FindTaken(IEnumerable<PortBinding> bindings)
    {
        foreach (var binding in bindings.Where(static b => b.Port > 0))
        {
            try
            {
                using var probe = new TcpListener(binding.Address, binding.Port);
                probe.Start();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return binding;
            }
            catch (SocketException)
            {
                // Not bindable for another reason (an address not on this machine): not the conflict we look for.
            }
        }

        return null;
    }
}
