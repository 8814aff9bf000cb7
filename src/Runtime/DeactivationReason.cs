namespace Switchboard.Runtime;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReason
{
    /// <summary>Idle past the collection age.</summary>
    IdleCollection,
    /// <summary>The grain asked for it with <c>DeactivateOnIdle</c>.</summary>
    ApplicationRequested,
    /// <summary>The silo is shutting down.</summary>
    ShuttingDown,
    /// <summary>Activation failed or the activation faulted.</summary>
    ActivationFailed,
}
