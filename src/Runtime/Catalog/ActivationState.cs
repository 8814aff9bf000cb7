namespace Switchboard.Runtime.Catalog;

/// <summary>Life of an activation; it only moves forward.</summary>
internal enum ActivationState
{
    /// <summary>Constructing the grain and running OnActivateAsync; messages queue.</summary>
    Activating,
    /// <summary>Processing messages.</summary>
    Valid,
    /// <summary>Timers stopped, OnDeactivateAsync running; arriving messages are held for the next activation.</summary>
    Deactivating,
    /// <summary>Gone from the catalog; refuses everything.</summary>
    Invalid,
}
