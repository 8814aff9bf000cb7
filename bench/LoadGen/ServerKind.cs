namespace Switchboard.Bench.LoadGen;

/// <summary>The servers a comparison runs.</summary>
internal enum ServerKind
{
    /// <summary>bench/Baseline: minimal Kestrel WebSocket echo, no grain hop.</summary>
    Baseline,

    /// <summary>src/Silo in embedded mode: gateway + grain runtime in one process.</summary>
    Embedded,

    /// <summary>Cluster mode: one src/Gateway process and one src/Silo process, membership in PostgreSQL.</summary>
    Cluster,
}
