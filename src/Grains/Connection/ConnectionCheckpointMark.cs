namespace Switchboard.Grains.Connection;

/// <summary>One mark awaiting its echo, as kept in a <see cref="ConnectionCheckpoint"/>.</summary>
/// <param name="Name">The mark's name.</param>
/// <param name="Cleared">True when a <c>clear</c> was issued after it: its echo means cleared, not played.</param>
[GenerateSerializer]
[Alias("sb.ConnectionCheckpointMark")]
internal sealed record ConnectionCheckpointMark(
    [property: Id(0)] string Name,
    [property: Id(1)] bool Cleared);
