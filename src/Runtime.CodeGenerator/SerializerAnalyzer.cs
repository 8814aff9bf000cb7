using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Switchboard.Runtime.CodeGenerator.Model;

namespace Switchboard.Runtime.CodeGenerator;

/// <summary>
/// Turns a <c>[GenerateSerializer]</c> class, record or struct into a <see cref="SerializerModel"/>.
/// Serialized members are properties and fields carrying <c>[Id(n)]</c> (including base types), plus record
/// primary-constructor parameters that carry <c>[Id(n)]</c> directly. Construction uses the accessible constructor
/// whose parameters all match serialized members by name (case-insensitive) and type, preferring the one with the
/// most parameters; members the constructor does not take are set through an object initializer.
/// </summary>
internal static class SerializerAnalyzer
{
    private sealed class Member(uint id, ISymbol symbol, ITypeSymbol type)
    {
        public uint Id { get; } = id;

        public ISymbol Symbol { get; } = symbol;

        public ITypeSymbol Type { get; } = type;
    }

    public static SerializerModel Analyze(INamedTypeSymbol type)
    {
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        var display = type.ToDisplayString();
        if (type.IsGenericType || HasGenericContainer(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.GenericSerializable, type, display));
        }

        if (!SymbolNames.IsAccessibleFromAssembly(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InaccessibleType, type, display));
        }

        var members = CollectMembers(type, display, diagnostics);
        var memberModels = ImmutableArray.CreateBuilder<MemberModel>(members.Count);
        foreach (var member in members)
        {
            memberModels.Add(new MemberModel(member.Id, "@" + member.Symbol.Name, SymbolNames.Display(member.Type), "f" + member.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        // Constructor choice: all parameters must be serialized members (by name and type); most parameters wins.
        List<Member>? bestArguments = null;
        foreach (var ctor in type.InstanceConstructors)
        {
            if (!SymbolNames.IsAccessibleFromAssembly(ctor.DeclaredAccessibility))
            {
                continue;
            }

            var arguments = new List<Member>();
            foreach (var parameter in ctor.Parameters)
            {
                var match = members.FirstOrDefault(m => string.Equals(m.Symbol.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)
                    && SymbolEqualityComparer.Default.Equals(m.Type.WithNullableAnnotation(NullableAnnotation.None), parameter.Type.WithNullableAnnotation(NullableAnnotation.None)));
                if (match is null || arguments.Contains(match))
                {
                    arguments = null;
                    break;
                }

                arguments.Add(match);
            }

            if (arguments is not null && (bestArguments is null || arguments.Count > bestArguments.Count))
            {
                bestArguments = arguments;
            }
        }

        // Structs always have an implicit parameterless constructor.
        if (bestArguments is null && type.IsValueType)
        {
            bestArguments = [];
        }

        var ctorArguments = ImmutableArray.CreateBuilder<StringValue>();
        var initializers = ImmutableArray.CreateBuilder<MemberModel>();
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            if (bestArguments is not null && bestArguments.Contains(member))
            {
                continue;
            }

            if (bestArguments is null || !IsSettable(member.Symbol))
            {
                diagnostics.Add(DiagnosticInfo.Create(Diagnostics.MemberNotSettable, member.Symbol, display, member.Symbol.Name));
                continue;
            }

            initializers.Add(memberModels[i]);
        }

        if (bestArguments is not null)
        {
            foreach (var argument in bestArguments)
            {
                ctorArguments.Add(new StringValue(memberModels[members.IndexOf(argument)].Local));
            }
        }
        else if (members.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(Diagnostics.MemberNotSettable, type, display, "(constructor)"));
        }

        return new SerializerModel(
            SymbolNames.Namespace(type),
            SymbolNames.Display(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated)),
            display,
            SymbolNames.FlatName(type),
            type.IsValueType,
            new EquatableArray<MemberModel>(memberModels.MoveToImmutable()),
            new EquatableArray<StringValue>(ctorArguments.ToImmutable()),
            new EquatableArray<MemberModel>(initializers.ToImmutable()),
            new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutable()));
    }

    private static List<Member> CollectMembers(INamedTypeSymbol type, string display, ImmutableArray<DiagnosticInfo>.Builder diagnostics)
    {
        var byName = new Dictionary<string, Member>(StringComparer.Ordinal);

        // Record primary-constructor parameters with [Id] on the parameter itself map to the property of the same name.
        var parameterIds = new Dictionary<string, uint>(StringComparer.Ordinal);
        if (type.IsRecord)
        {
            foreach (var ctor in type.InstanceConstructors)
            {
                foreach (var parameter in ctor.Parameters)
                {
                    if (TryGetId(parameter, out var id))
                    {
                        parameterIds[parameter.Name] = id;
                    }
                }
            }
        }

        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var symbol in current.GetMembers())
            {
                if (symbol.IsStatic || byName.ContainsKey(symbol.Name))
                {
                    continue;
                }

                ITypeSymbol? memberType = symbol switch
                {
                    IPropertySymbol { IsIndexer: false } property => property.Type,
                    IFieldSymbol { IsImplicitlyDeclared: false } field => field.Type,
                    _ => null,
                };
                if (memberType is null)
                {
                    continue;
                }

                if (!TryGetId(symbol, out var id) && !(SymbolEqualityComparer.Default.Equals(current, type) && parameterIds.TryGetValue(symbol.Name, out id)))
                {
                    continue;
                }

                if (!IsReadable(symbol))
                {
                    diagnostics.Add(DiagnosticInfo.Create(Diagnostics.InaccessibleMember, symbol, display, symbol.Name));
                    continue;
                }

                byName[symbol.Name] = new Member(id, symbol, memberType);
            }
        }

        var members = byName.Values.OrderBy(m => m.Id).ToList();
        for (var i = 1; i < members.Count; i++)
        {
            if (members[i].Id == members[i - 1].Id)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    Diagnostics.DuplicateId,
                    members[i].Symbol,
                    display,
                    members[i].Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    members[i - 1].Symbol.Name,
                    members[i].Symbol.Name));
            }
        }

        return members;
    }

    private static bool TryGetId(ISymbol symbol, out uint id)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && InterfaceAnalyzer.IsRuntimeType(attributeClass, "IdAttribute")
                && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is uint value)
            {
                id = value;
                return true;
            }
        }

        id = 0;
        return false;
    }

    private static bool IsReadable(ISymbol symbol) => symbol switch
    {
        IPropertySymbol property => property.GetMethod is { } getter && SymbolNames.IsAccessibleFromAssembly(getter.DeclaredAccessibility),
        IFieldSymbol field => SymbolNames.IsAccessibleFromAssembly(field.DeclaredAccessibility),
        _ => false,
    };

    private static bool IsSettable(ISymbol symbol) => symbol switch
    {
        IPropertySymbol property => property.SetMethod is { } setter && SymbolNames.IsAccessibleFromAssembly(setter.DeclaredAccessibility),
        IFieldSymbol field => !field.IsReadOnly && !field.IsConst && SymbolNames.IsAccessibleFromAssembly(field.DeclaredAccessibility),
        _ => false,
    };

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
}
