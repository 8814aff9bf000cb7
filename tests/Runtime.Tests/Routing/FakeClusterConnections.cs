using System.Collections.Concurrent;
using Switchboard.Runtime.Core;
using Switchboard.Runtime.Membership;
using Switchboard.Runtime.Messaging;

namespace Switchboard.Runtime.Tests.Routing;

/// <summary>Records what the router sends per node; nodes are reachable unless listed in <see cref="Unreachable"/>.</summary>
internal sealed class FakeClusterConnections : IClusterConnections
{
    public ConcurrentDictionary<string, ConcurrentQueue<Message>> Sent { get; } = new();

    public ConcurrentDictionary<string, bool> Unreachable { get; } = new();

    public ConcurrentBag<SiloAddress> MarkedDead { get; } = [];

    public int Probes;

    public event Action<string>? PeerDisconnected;

#pragma warning disable CS0067 // Not raised by this fake: no message is ever misrouted here.
    public event Action<Message>? MessageMisrouted;
#pragma warning restore CS0067

    public bool TrySend(string nodeId, Message message)
    {
        if (Unreachable.ContainsKey(nodeId))
        {
            return false;
        }

        Sent.GetOrAdd(nodeId, _ => new ConcurrentQueue<Message>()).Enqueue(message);
        return true;
    }

    public IReadOnlyList<Message> SentTo(string nodeId) => Sent.TryGetValue(nodeId, out var queue) ? [.. queue] : [];

    public void MarkDead(SiloAddress silo) => MarkedDead.Add(silo);

    public Task<bool> ProbeAsync(SiloAddress silo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Probes);
        return Task.FromResult(!Unreachable.ContainsKey(silo.ToString()));
    }

    public void Disconnect(string nodeId)
    {
        Unreachable[nodeId] = true;
        PeerDisconnected?.Invoke(nodeId);
    }
}
