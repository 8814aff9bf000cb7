namespace Switchboard.Runtime.Storage;

/// <summary>Stored bytes of one grain state and the ETag that guards the next write.</summary>
public sealed record GrainStateRecord(ReadOnlyMemory<byte> Data, string ETag);
