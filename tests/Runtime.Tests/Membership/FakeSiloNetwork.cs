using System.Collections.Concurrent;
using Switchboard.Runtime.Membership;

namespace Switchboard.Runtime.Tests.Membership;

/// <summary>
/// Scripted connectivity between fake silos: a behavior per target silo (what everyone sees) and optional overrides
/// per directed link. Counts the probes each silo sent and received.
/// </summary>
internal sealed class FakeSiloNetwork
{
    private readonly ConcurrentDictionary<SiloAddress, ProbeBehavior> _silos = new();
    private readonly ConcurrentDictionary<(SiloAddress From, SiloAddress To), ProbeBehavior> _links = new();
    private readonly ConcurrentDictionary<SiloAddress, int> _received = new();
    private readonly ConcurrentDictionary<SiloAddress, int> _sent = new();

    /// <summary>Sets how probes to <paramref name="silo"/> are answered, from every silo.</summary>
    public void Set(SiloAddress silo, ProbeBehavior behavior) => _silos[silo] = behavior;

    /// <summary>Sets how probes from <paramref name="from"/> to <paramref name="to"/> are answered (overrides <see cref="Set"/>).</summary>
    public void SetLink(SiloAddress from, SiloAddress to, ProbeBehavior behavior) => _links[(from, to)] = behavior;

    /// <summary>Removes a link override.</summary>
    public void ClearLink(SiloAddress from, SiloAddress to) => _links.TryRemove((from, to), out _);

    /// <summary>Probes <paramref name="silo"/> received so far.</summary>
    public int ProbesReceived(SiloAddress silo) => _received.GetValueOrDefault(silo);

    /// <summary>Probes <paramref name="silo"/> sent so far.</summary>
    public int ProbesSent(SiloAddress silo) => _sent.GetValueOrDefault(silo);

    /// <summary>The prober used by the agent of <paramref name="from"/>.</summary>
    public ISiloProber ProberFor(SiloAddress from) => new FakeSiloProber(this, from);

    internal Task<bool> ProbeAsync(SiloAddress from, SiloAddress to, CancellationToken cancellationToken)
    {
        _sent.AddOrUpdate(from, 1, (_, n) => n + 1);
        _received.AddOrUpdate(to, 1, (_, n) => n + 1);
        var behavior = _links.TryGetValue((from, to), out var link) ? link : _silos.GetValueOrDefault(to, ProbeBehavior.Answer);
        return behavior switch
        {
            ProbeBehavior.Answer => Task.FromResult(true),
            ProbeBehavior.Refuse => Task.FromResult(false),
            _ => HangAsync(cancellationToken),
        };
    }

    private static async Task<bool> HangAsync(CancellationToken cancellationToken)
    {
        var never = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = cancellationToken.Register(() => never.TrySetResult(false));
        return await never.Task;
    }
}
