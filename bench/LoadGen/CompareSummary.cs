namespace Switchboard.Bench.LoadGen;

/// <summary>The one-line JSON summary printed at the end of <c>LoadGen compare</c>.</summary>
internal sealed record CompareSummary(
    int BaselineMaxCalls,
    int SwitchboardMaxCalls,
    double? MaxCallsRatio,
    double? BaselineIdleBytesPerCall,
    double? SwitchboardIdleBytesPerCall,
    double? IdleMemoryRatio,
    int LossOrReorderBelowMax,
    string ClusterMode,
    double ElapsedSeconds);
