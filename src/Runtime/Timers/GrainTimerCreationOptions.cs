namespace Switchboard.Runtime.Timers;

/// <summary>Options of a grain timer (Orleans' <c>GrainTimerCreationOptions</c>).</summary>
public readonly record struct GrainTimerCreationOptions
{
    /// <summary>Delay before the first tick.</summary>
    public required TimeSpan DueTime { get; init; }

    /// <summary>Delay between the end of one tick and the start of the next; <see cref="Timeout.InfiniteTimeSpan"/> for one tick only.</summary>
    public required TimeSpan Period { get; init; }

    /// <summary>When true the tick may interleave with other requests instead of waiting for a free turn.</summary>
    public bool Interleave { get; init; }

    /// <summary>When true a tick counts as activity and keeps the activation from idle collection.</summary>
    public bool KeepAlive { get; init; }
}
