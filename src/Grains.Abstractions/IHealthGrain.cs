using Orleans.Concurrency;

namespace Switchboard.Grains;

/// <summary>Cluster-wide health aggregate. There is one, with key <see cref="Key"/>.</summary>
[Alias("sb.IHealthGrain")]
public interface IHealthGrain : IGrainWithStringKey
{
    /// <summary>The single health grain's key.</summary>
    const string Key = "cluster";

    /// <summary>A periodic report from a gateway or silo (a lost report is replaced by the next one).</summary>
    [OneWay]
    [Alias("Report")]
    Task Report(NodeReport report);

    /// <summary>The current aggregate, with the membership view of the silo the grain lives on.</summary>
    [AlwaysInterleave]
    [Alias("GetHealth")]
    Task<HealthSnapshot> GetHealth();
}
