using System.Globalization;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// One server under test, started by <see cref="ServerFactory"/>: a single process (baseline, embedded mode) or a
/// gateway and a silo (cluster mode), reached at the Media Streams endpoint on a loopback port. Its figures are the
/// sum over its processes; dispose kills every one of them.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly IReadOnlyList<HostProcess> _hosts;

    /// <summary>Creates the server from hosts already started (gateway first in cluster mode); it owns them from here on.</summary>
    public ServerProcess(ServerKind kind, int port, IReadOnlyList<HostProcess> hosts, string? clusterId = null)
    {
        Kind = kind;
        Port = port;
        _hosts = hosts;
        ClusterId = clusterId;
    }

    /// <summary>Which server this is.</summary>
    public ServerKind Kind { get; }

    /// <summary>The loopback port that serves the Twilio endpoint (the gateway's, in cluster mode).</summary>
    public int Port { get; }

    /// <summary>Cluster mode's cluster id (unique to this server), else null.</summary>
    public string? ClusterId { get; }

    /// <summary>The Media Streams endpoint.</summary>
    public Uri MediaStreamUrl => new(string.Create(CultureInfo.InvariantCulture, $"ws://127.0.0.1:{Port}/twilio/media-stream"));

    /// <summary>The HTTP base address (cluster mode's gateway answers <c>/health</c> there).</summary>
    public Uri BaseAddress => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    /// <summary>The first process that exited, or null while all run.</summary>
    public HostProcess? Exited => _hosts.FirstOrDefault(h => h.HasExited);

    /// <summary>The last lines every process printed.</summary>
    public string Tail => string.Join(Environment.NewLine, _hosts.Select(h => h.Tail));

    /// <summary>
    /// CPU and memory of every process now; null once any of them exited, because a sum without one of the processes
    /// would be a figure of a different server.
    /// </summary>
    public ServerStats? Stats()
    {
        var processes = new List<(string Role, ProcessStats Stats)>(_hosts.Count);
        foreach (var host in _hosts)
        {
            if (host.Stats() is not { } stats)
            {
                return null;
            }

            processes.Add((host.Role, stats));
        }

        return new ServerStats(processes);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }
    }
}
