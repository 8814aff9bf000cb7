namespace Switchboard.Runtime.CodeGenerator.Model;

/// <summary>Everything the emitter needs about one grain or observer interface.</summary>
/// <param name="Namespace">Namespace of the interface (empty for the global namespace).</param>
/// <param name="FullyQualifiedName">The interface as a <c>global::</c> name.</param>
/// <param name="MetadataName">Full metadata name, the input of the interface id hash.</param>
/// <param name="GeneratedName">Base name for the generated classes (nested types joined with '_').</param>
/// <param name="InterfaceId">FNV-1a 32-bit hash of <paramref name="MetadataName"/>.</param>
/// <param name="GrainType">Grain type name, or null for observers.</param>
/// <param name="IsObserver">True for observer interfaces.</param>
/// <param name="Methods">Methods in wire order.</param>
/// <param name="Diagnostics">Errors; when any are present nothing is emitted for this interface.</param>
internal sealed record InterfaceModel(
    string Namespace,
    string FullyQualifiedName,
    string MetadataName,
    string GeneratedName,
    uint InterfaceId,
    string? GrainType,
    bool IsObserver,
    EquatableArray<MethodModel> Methods,
    EquatableArray<DiagnosticInfo> Diagnostics);
