using Switchboard.Runtime.Timers;

namespace Switchboard.Runtime;

/// <summary>The runtime's view of one activation, as seen by its grain instance.</summary>
public interface IGrainContext
{
    /// <summary>Identity of the activation's grain.</summary>
    GrainId GrainId { get; }

    /// <summary>Factory for references to other grains.</summary>
    IGrainFactory GrainFactory { get; }

    /// <summary>Registers a grain timer bound to this activation.</summary>
    IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options);

    /// <summary>Requests deactivation after the current turn.</summary>
    void DeactivateOnIdle();

    /// <summary>Extends the idle age of this activation.</summary>
    void DelayDeactivation(TimeSpan timeSpan);
}
