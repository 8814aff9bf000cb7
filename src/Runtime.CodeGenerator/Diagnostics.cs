using Microsoft.CodeAnalysis;

namespace Switchboard.Runtime.CodeGenerator;

/// <summary>Compile-time errors for shapes the runtime cannot carry. Each names the symbol and the fix.</summary>
internal static class Diagnostics
{
    private const string Category = "Switchboard.CodeGenerator";

    public static readonly DiagnosticDescriptor UnsupportedReturnType = new(
        "SBGEN001",
        "Unsupported grain method return type",
        "Grain method '{0}' returns '{1}'; grain methods must return Task, Task<T>, ValueTask or ValueTask<T>",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor OneWayWithResult = new(
        "SBGEN002",
        "[OneWay] method returns a result",
        "Grain method '{0}' is [OneWay] but returns a result; one-way methods must return Task or ValueTask",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericMethod = new(
        "SBGEN003",
        "Generic grain method",
        "Grain method '{0}' is generic; generic grain methods are not supported",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ByRefParameter = new(
        "SBGEN004",
        "ref/out/in parameter on a grain method",
        "Parameter '{1}' of grain method '{0}' is passed by reference; arguments are serialized, so ref, out and in are not supported",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PropertyOrEvent = new(
        "SBGEN005",
        "Property or event on a grain interface",
        "Grain interface member '{0}' is a property or event; grain interfaces may only declare methods",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericInterface = new(
        "SBGEN006",
        "Generic grain interface",
        "Grain interface '{0}' is generic (or nested in a generic type); generic grain interfaces are not supported",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InaccessibleType = new(
        "SBGEN007",
        "Type not accessible to generated code",
        "'{0}' must be public or internal (and not nested in a private or protected type) for generated code to use it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CancellationTokenParameter = new(
        "SBGEN008",
        "CancellationToken parameter on a grain method",
        "Parameter '{1}' of grain method '{0}' is a CancellationToken; tokens cannot cross the wire (calls are bounded by the runtime's response timeout)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateId = new(
        "SBGEN010",
        "Duplicate serializer field id",
        "Type '{0}' uses field id {1} more than once ('{2}' and '{3}')",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericSerializable = new(
        "SBGEN011",
        "Generic [GenerateSerializer] type",
        "Type '{0}' is generic or nested in a generic type; [GenerateSerializer] supports only non-generic types",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MemberNotSettable = new(
        "SBGEN012",
        "Serialized member cannot be restored",
        "Member '{1}' of '{0}' is serialized but can be set neither by a constructor parameter of the same name nor by an accessible setter or init accessor",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InaccessibleMember = new(
        "SBGEN013",
        "Serialized member not accessible",
        "Member '{1}' of '{0}' carries [Id] but is not readable by generated code; make it public or internal",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
