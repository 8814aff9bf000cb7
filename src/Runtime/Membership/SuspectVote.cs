namespace Switchboard.Runtime.Membership;

/// <summary>One death vote written into a suspected silo's row: who voted and when.</summary>
public sealed record SuspectVote(SiloAddress Voter, DateTimeOffset Time);
