using Switchboard.Runtime.Membership;

namespace Switchboard.Runtime.Messaging;

/// <summary>
/// Runtime id of this node for one process lifetime; responses and observer calls are routed back by it, so a
/// restart never reuses an identity (observer references of a previous life then fail instead of reaching a new object).
/// Three shapes: embedded silo (<c>name.random</c>), cluster silo (its <see cref="SiloAddress"/> text,
/// <c>host:port@generation</c>), cluster client such as a gateway (<c>client/name@generation</c>).
/// </summary>
internal sealed class SiloIdentity
{
    /// <summary>Embedded (single-process) silo.</summary>
    public SiloIdentity(string siloName)
    {
        Name = siloName;
        Id = $"{siloName}.{Guid.NewGuid():N}"[..(siloName.Length + 13)];
    }

    private SiloIdentity(string name, string id, SiloAddress? address, int generation, bool isClient)
    {
        Name = name;
        Id = id;
        Address = address;
        Generation = generation;
        IsClient = isClient;
    }

    /// <summary>Configured name.</summary>
    public string Name { get; }

    /// <summary>Wire id: the sender id of every message this node sends.</summary>
    public string Id { get; }

    /// <summary>The silo's address in cluster mode; null for embedded silos and clients.</summary>
    public SiloAddress? Address { get; }

    /// <summary>Per-start generation (cluster mode).</summary>
    public int Generation { get; }

    /// <summary>True for a cluster client (gateway): it hosts observers, never grains, and accepts no connections.</summary>
    public bool IsClient { get; }

    /// <summary>A cluster silo at <paramref name="address"/>.</summary>
    public static SiloIdentity ForSilo(string name, SiloAddress address)
        => new(name, address.ToString(), address, address.Generation, isClient: false);

    /// <summary>A cluster client; <paramref name="generation"/> from <see cref="SiloAddress.NewGeneration"/>.</summary>
    public static SiloIdentity ForClient(string name, int generation)
        => new(name, $"client/{name}@{generation}", null, generation, isClient: true);
}
