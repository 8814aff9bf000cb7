namespace Switchboard.Runtime.CodeGenerator.Model;

/// <summary>Everything the emitter needs about one <c>[GenerateSerializer]</c> type.</summary>
/// <param name="Namespace">Namespace of the type.</param>
/// <param name="FullyQualifiedName">The type as a <c>global::</c> name.</param>
/// <param name="DisplayName">Name used in error messages.</param>
/// <param name="GeneratedName">Base name of the codec class.</param>
/// <param name="IsValueType">Structs have no presence byte.</param>
/// <param name="Members">Serialized members in ascending id order.</param>
/// <param name="ConstructorArguments">Locals passed to the chosen constructor, in parameter order.</param>
/// <param name="Initializers">Members set through the object initializer (name, local).</param>
/// <param name="Diagnostics">Errors; when any are present nothing is emitted for this type.</param>
internal sealed record SerializerModel(
    string Namespace,
    string FullyQualifiedName,
    string DisplayName,
    string GeneratedName,
    bool IsValueType,
    EquatableArray<MemberModel> Members,
    EquatableArray<StringValue> ConstructorArguments,
    EquatableArray<MemberModel> Initializers,
    EquatableArray<DiagnosticInfo> Diagnostics);
