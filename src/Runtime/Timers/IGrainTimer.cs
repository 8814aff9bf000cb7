namespace Switchboard.Runtime.Timers;

/// <summary>A timer bound to a grain activation. Disposing it stops future ticks; a running tick completes.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Changes the due time and period; takes effect for the next tick.</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}
