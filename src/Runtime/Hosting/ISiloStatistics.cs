namespace Switchboard.Runtime.Hosting;

/// <summary>Read-only figures of the local silo, for health reports and the dashboard.</summary>
public interface ISiloStatistics
{
    /// <summary>This silo's runtime identity (name plus a per-process suffix).</summary>
    string SiloId { get; }

    /// <summary>When the silo's services were created.</summary>
    DateTimeOffset StartedAt { get; }

    /// <summary>All live activations.</summary>
    int ActivationCount { get; }

    /// <summary>Live activations of one grain type (e.g. <c>connection</c>).</summary>
    int GetActivationCount(string grainType);
}
