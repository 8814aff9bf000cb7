namespace Switchboard.Runtime.Membership;

/// <summary>Status of a silo in the membership table. The integer values are Orleans' and are stored as-is in SQL.</summary>
public enum SiloStatus
{
    /// <summary>No status (never stored).</summary>
    None = 0,

    /// <summary>Process created, not yet in the table.</summary>
    Created = 1,

    /// <summary>Row inserted; the silo is checking connectivity before it serves.</summary>
    Joining = 2,

    /// <summary>Serving grains; a placement target.</summary>
    Active = 3,

    /// <summary>Leaving gracefully: no new placements, its grains are being handed off.</summary>
    ShuttingDown = 4,

    /// <summary>Stopping after hand-off.</summary>
    Stopping = 5,

    /// <summary>Declared dead (by votes, or by its own graceful exit). Final: the identity never comes back.</summary>
    Dead = 6,
}
