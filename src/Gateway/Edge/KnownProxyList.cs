using System.Net;

namespace Switchboard.Gateway.Edge;

/// <summary>
/// <see cref="EdgeOptions.KnownProxies"/> parsed: single addresses and CIDR networks. Entries may also be
/// comma-separated lists (one environment variable can name several proxies).
/// </summary>
internal sealed class KnownProxyList
{
    private KnownProxyList(IReadOnlyList<IPAddress> addresses, IReadOnlyList<IPNetwork> networks)
    {
        Addresses = addresses;
        Networks = networks;
    }

    public IReadOnlyList<IPAddress> Addresses { get; }

    public IReadOnlyList<IPNetwork> Networks { get; }

    public bool IsEmpty => Addresses.Count == 0 && Networks.Count == 0;

    /// <summary>Splits comma-separated entries and drops blanks.</summary>
    public static IEnumerable<string> Entries(IEnumerable<string?> values) =>
        values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Parses every entry; on failure <paramref name="error"/> names the first bad one.</summary>
    public static bool TryParse(IEnumerable<string?> values, out KnownProxyList list, out string? error)
    {
        var addresses = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        foreach (var entry in Entries(values))
        {
            if (entry.Contains('/', StringComparison.Ordinal))
            {
                if (!IPNetwork.TryParse(entry, out var network))
                {
                    list = new KnownProxyList([], []);
                    error = $"'{entry}' is not a CIDR network (e.g. 172.16.0.0/12)";
                    return false;
                }

                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                list = new KnownProxyList([], []);
                error = $"'{entry}' is not an IP address or CIDR network";
                return false;
            }
        }

        list = new KnownProxyList(addresses, networks);
        error = null;
        return true;
    }
}
