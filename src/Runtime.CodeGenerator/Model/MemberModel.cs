namespace Switchboard.Runtime.CodeGenerator.Model;

/// <summary>One serialized member of a <c>[GenerateSerializer]</c> type.</summary>
/// <param name="Id">Field id from <c>[Id(n)]</c>.</param>
/// <param name="Name">Member name (escaped).</param>
/// <param name="Type">Fully qualified member type with nullable annotations.</param>
/// <param name="Local">Name of the local the reader uses for it.</param>
internal sealed record MemberModel(uint Id, string Name, string Type, string Local);
