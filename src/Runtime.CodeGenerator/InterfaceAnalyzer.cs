using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Switchboard.Runtime.CodeGenerator.Model;

namespace Switchboard.Runtime.CodeGenerator;

/// <summary>
/// Turns a grain or observer interface symbol into an <see cref="InterfaceModel"/>.
/// Method ids are positions in the flattened method list: methods of base interfaces first (depth-first, in
/// base-list declaration order, each interface once), then the interface's own methods in declaration order.
/// Reordering or inserting methods therefore changes ids; callers and grains must be built from the same source.
/// </summary>
internal static class InterfaceAnalyzer
{
    private const string RuntimeNamespace = "Switchboard.Runtime";

    public static bool IsGrainOrObserver(INamedTypeSymbol type, out bool isObserver)
    {
        isObserver = false;
        if (type.TypeKind != TypeKind.Interface)
        {
            return false;
        }

        var isGrain = false;
        foreach (var candidate in type.AllInterfaces)
        {
            if (IsRuntimeType(candidate, "IGrainWithStringKey"))
            {
                isGrain = true;
            }
            else if (IsRuntimeType(candidate, "IGrainObserver"))
            {
                isObserver = true;
            }
        }

        // An interface that is somehow both is treated as a grain.
        if (isGrain)
        {
            isObserver = false;
        }

        return isGrain || isObserver;
    }

    public static InterfaceModel Analyze(INamedTypeSymbol type, bool isObserver)
    {
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        if (type.IsGenericType || HasGenericContainer(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GenericInterface, type, type.ToDisplayString()));
        }

        if (!SymbolNames.IsAccessibleFromAssembly(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InaccessibleType, type, type.ToDisplayString()));
        }

        var methods = ImmutableArray.CreateBuilder<MethodModel>();
        var visited = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        Collect(type, visited, methods, diagnostics, type);

        var metadataName = SymbolNames.MetadataName(type);
        return new InterfaceModel(
            SymbolNames.Namespace(type),
            SymbolNames.Display(type),
            metadataName,
            SymbolNames.FlatName(type),
            SymbolNames.Fnv1a32(metadataName),
            isObserver ? null : GrainTypeName(type),
            isObserver,
            new EquatableArray<MethodModel>(methods.ToImmutable()),
            new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutable()));
    }

    private static void Collect(
        INamedTypeSymbol type,
        HashSet<INamedTypeSymbol> visited,
        ImmutableArray<MethodModel>.Builder methods,
        ImmutableArray<DiagnosticInfo>.Builder diagnostics,
        INamedTypeSymbol root)
    {
        if (!visited.Add(type))
        {
            return;
        }

        foreach (var baseInterface in type.Interfaces)
        {
            Collect(baseInterface, visited, methods, diagnostics, root);
        }

        foreach (var member in type.GetMembers())
        {
            // Static members, constants and default-implemented members need no proxy implementation.
            if (member.IsStatic || !member.IsAbstract)
            {
                continue;
            }

            switch (member)
            {
                case IMethodSymbol { MethodKind: MethodKind.Ordinary } method:
                    var model = AnalyzeMethod(method, methods.Count, diagnostics);
                    if (model is not null)
                    {
                        methods.Add(model);
                    }

                    break;
                case IPropertySymbol:
                case IEventSymbol:
                    diagnostics.Add(DiagnosticInfo.Create(Diagnostics.PropertyOrEvent, LocationOwner(member, root), type.Name + "." + member.Name));
                    break;
            }
        }
    }

    // Members of base interfaces from other assemblies have no source location; report on the interface being generated.
    private static ISymbol LocationOwner(ISymbol member, INamedTypeSymbol root)
        => member.Locations.Length > 0 && member.Locations[0].IsInSource ? member : root;

    private static MethodModel? AnalyzeMethod(IMethodSymbol method, int id, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        var displayName = method.ContainingType.Name + "." + method.Name;
        var ok = true;
        if (method.IsGenericMethod)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GenericMethod, method, displayName));
            ok = false;
        }

        var parameters = ImmutableArray.CreateBuilder<ParameterModel>();
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.ByRefParameter, parameter, displayName, parameter.Name));
                ok = false;
            }
            else if (parameter.Type.ToDisplayString() == "System.Threading.CancellationToken")
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.CancellationTokenParameter, parameter, displayName, parameter.Name));
                ok = false;
            }

            parameters.Add(new ParameterModel("@" + parameter.Name, SymbolNames.Display(parameter.Type)));
        }

        var flags = new List<string>();
        var oneWay = false;
        foreach (var attribute in method.GetAttributes())
        {
            var attributeClass = attribute.AttributeClass;
            if (attributeClass is null)
            {
                continue;
            }

            if (IsRuntimeType(attributeClass, "OneWayAttribute"))
            {
                oneWay = true;
                flags.Add("global::Switchboard.Runtime.Invocation.InvocationFlags.OneWay");
            }
            else if (IsRuntimeType(attributeClass, "AlwaysInterleaveAttribute"))
            {
                flags.Add("global::Switchboard.Runtime.Invocation.InvocationFlags.AlwaysInterleave");
            }
            else if (IsRuntimeType(attributeClass, "ReadOnlyAttribute"))
            {
                flags.Add("global::Switchboard.Runtime.Invocation.InvocationFlags.ReadOnly");
            }
        }

        ReturnKind kind;
        var resultType = string.Empty;
        var returnType = method.ReturnType as INamedTypeSymbol;
        var original = returnType?.OriginalDefinition.ToDisplayString();
        switch (original)
        {
            case "System.Threading.Tasks.Task":
                kind = ReturnKind.Task;
                break;
            case "System.Threading.Tasks.ValueTask":
                kind = ReturnKind.ValueTask;
                break;
            case "System.Threading.Tasks.Task<TResult>":
                kind = ReturnKind.TaskOfT;
                resultType = SymbolNames.Display(returnType!.TypeArguments[0]);
                break;
            case "System.Threading.Tasks.ValueTask<TResult>":
                kind = ReturnKind.ValueTaskOfT;
                resultType = SymbolNames.Display(returnType!.TypeArguments[0]);
                break;
            default:
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.UnsupportedReturnType, method, displayName, method.ReturnType.ToDisplayString()));
                return null;
        }

        if (oneWay && kind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.OneWayWithResult, method, displayName));
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        return new MethodModel(
            id,
            "@" + method.Name,
            SymbolNames.Display(method.ContainingType),
            kind,
            resultType,
            flags.Count == 0 ? "global::Switchboard.Runtime.Invocation.InvocationFlags.None" : string.Join(" | ", flags),
            new EquatableArray<ParameterModel>(parameters.ToImmutable()));
    }

    private static string GrainTypeName(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && IsRuntimeType(attributeClass, "GrainTypeAttribute")
                && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name)
            {
                return name;
            }
        }

        var simple = type.Name;
        if (simple.Length > 1 && simple[0] == 'I' && char.IsUpper(simple[1]))
        {
            simple = simple.Substring(1);
        }

        if (simple.Length > "Grain".Length && simple.EndsWith("Grain", System.StringComparison.Ordinal))
        {
            simple = simple.Substring(0, simple.Length - "Grain".Length);
        }

        return simple.ToLowerInvariant();
    }

    private static bool HasGenericContainer(INamedTypeSymbol type)
    {
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    internal static bool IsRuntimeType(INamedTypeSymbol type, string name)
        => type.Name == name && type.ContainingNamespace?.ToDisplayString() == RuntimeNamespace;
}
