namespace Switchboard.Runtime.CodeGenerator.Model;

/// <summary>One method of a grain interface in wire order.</summary>
/// <param name="Id">Wire method id (position in the flattened method list).</param>
/// <param name="Name">Method name (escaped).</param>
/// <param name="DeclaringInterface">Fully qualified interface that declares the method (for explicit implementation).</param>
/// <param name="ReturnKind">Task shape.</param>
/// <param name="ResultType">Fully qualified result type for the generic shapes, else empty.</param>
/// <param name="Flags">C# expression of the invocation flags.</param>
/// <param name="Parameters">Parameters in order.</param>
internal sealed record MethodModel(
    int Id,
    string Name,
    string DeclaringInterface,
    ReturnKind ReturnKind,
    string ResultType,
    string Flags,
    EquatableArray<ParameterModel> Parameters);
