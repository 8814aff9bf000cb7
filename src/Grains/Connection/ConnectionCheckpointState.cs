namespace Switchboard.Grains.Connection;

/// <summary>The grain state holding a <see cref="ConnectionCheckpoint"/>: Orleans creates the state object before it
/// reads it, which needs a parameterless constructor; the checkpoint itself stays an immutable record.</summary>
[GenerateSerializer]
[Alias("sb.ConnectionCheckpointState")]
internal sealed class ConnectionCheckpointState
{
    /// <summary>The checkpoint; null before the call's first <c>start</c> and after the retention cleared it.</summary>
    [Id(0)]
    public ConnectionCheckpoint? Checkpoint { get; set; }
}
