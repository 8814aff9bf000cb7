using Microsoft.CodeAnalysis;

namespace Switchboard.Runtime.CodeGenerator;

/// <summary>Compile errors for declarations the runtime cannot carry.</summary>
internal static class Diagnostics
{
    private const string Category = "Switchboard.CodeGenerator";

    public static readonly DiagnosticDescriptor UnsupportedReturnType = new(
        "SBGEN001", "Unsupported grain method return type",
        "Grain method '{0}' returns '{1}'; grain and observer methods must return Task, Task<T>, ValueTask or ValueTask<T>",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor OneWayWithResult = new(
        "SBGEN002", "[OneWay] method returns a result",
        "Grain method '{0}' is [OneWay] but returns a result; one-way methods must return Task or ValueTask",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericMethod = new(
        "SBGEN003", "Generic grain method",
        "Grain method '{0}' is generic; generic grain methods are not supported",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RefParameter = new(
        "SBGEN004", "ref/out/in parameter on a grain method",
        "Parameter '{1}' of grain method '{0}' is passed by reference; grain arguments are copied by value",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PropertyOrEvent = new(
        "SBGEN005", "Property or event on a grain interface",
        "Grain interface '{0}' declares '{1}'; grain interfaces may declare only methods",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Inaccessible = new(
        "SBGEN006", "Inaccessible type",
        "'{0}' is private or protected; generated code needs it to be public or internal",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateId = new(
        "SBGEN007", "Duplicate serializer field id",
        "Type '{0}' uses field id {1} more than once",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericSerializable = new(
        "SBGEN008", "Generic serializable type",
        "Type '{0}' is generic; [GenerateSerializer] supports non-generic types only",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoConstructor = new(
        "SBGEN009", "No way to construct a serializable type",
        "Type '{0}' has neither a constructor whose parameters match its [Id] members by name nor settable [Id] members",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
