using System.Text;
using Microsoft.CodeAnalysis;

namespace Switchboard.Runtime.CodeGenerator;

/// <summary>Naming helpers shared by the analyzers: how symbols are spelled in generated code and on the wire.</summary>
internal static class SymbolNames
{
    /// <summary><c>global::</c>-qualified, keywords escaped, nullable reference annotations kept (so generated
    /// signatures match the user's exactly under <c>#nullable enable</c>).</summary>
    public static readonly SymbolDisplayFormat Qualified = SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(
        SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static string Display(ITypeSymbol type) => type.ToDisplayString(Qualified);

    /// <summary>The CLR full name (<c>Namespace.Outer+Inner</c>), which is what the interface id hashes.</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }

        var ns = type.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? name : ns.ToDisplayString() + "." + name;
    }

    public static string Namespace(INamedTypeSymbol type)
        => type.ContainingNamespace is null || type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();

    /// <summary>Simple name, prefixed by containing type names for nested types, so generated class names stay unique per namespace.</summary>
    public static string FlatName(INamedTypeSymbol type)
    {
        var name = type.Name;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.Name + "_" + name;
        }

        return name;
    }

    /// <summary>FNV-1a 32-bit over the UTF-8 bytes of <paramref name="text"/>. Stable across processes and
    /// versions (unlike string.GetHashCode), which is what a wire id needs.</summary>
    public static uint Fnv1a32(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash = unchecked(hash * 16777619u);
        }

        return hash;
    }

    /// <summary>True when code elsewhere in the same assembly can name the type.</summary>
    public static bool IsAccessibleFromAssembly(ITypeSymbol type)
    {
        for (ISymbol? current = type; current is INamedTypeSymbol named; current = named.ContainingType)
        {
            switch (named.DeclaredAccessibility)
            {
                case Accessibility.Public:
                case Accessibility.Internal:
                case Accessibility.ProtectedOrInternal:
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    public static bool IsAccessibleFromAssembly(Accessibility accessibility)
        => accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

    public static string Literal(string value)
        => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
