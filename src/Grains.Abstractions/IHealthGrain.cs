using Switchboard.Runtime;

namespace Switchboard.Grains;

/// <summary>Cluster-wide health aggregate. There is one, with key <see cref="Key"/>.</summary>
public interface IHealthGrain : IGrainWithStringKey
{
    /// <summary>The single health grain's key.</summary>
    const string Key = "cluster";

    /// <summary>A periodic report from a gateway or silo.</summary>
    [OneWay]
    Task Report(NodeReport report);

    /// <summary>The current aggregate.</summary>
    [AlwaysInterleave]
    Task<HealthSnapshot> GetHealth();
}
