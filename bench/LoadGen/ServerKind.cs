namespace Switchboard.Bench.LoadGen;

/// <summary>The servers a comparison runs.</summary>
internal enum ServerKind
{
    /// <summary>bench/Baseline: minimal Kestrel WebSocket echo, no grain hop.</summary>
    Baseline,

    /// <summary>src/Silo in embedded mode: gateway + grain runtime in one process.</summary>
    Switchboard,
}
