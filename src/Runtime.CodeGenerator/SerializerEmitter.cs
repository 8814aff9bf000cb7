using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Switchboard.Runtime.CodeGenerator;

/// <summary>
/// Emits the codec of one [GenerateSerializer] type. Format: for reference types a presence byte (0 null, 1 value),
/// then a varint field count, then each [Id] member in ascending id order through its own codec. A count that
/// differs from the declaration is a schema mismatch (CodecException), and so is a null read into a member
/// declared non-nullable, so corrupt input can never produce an object that breaks its own nullability contract.
/// </summary>
internal static class SerializerEmitter
{
    private sealed class Member
    {
        public Member(uint id, string name, ITypeSymbol type, bool settable)
        {
            Id = id;
            Name = name;
            Type = type;
            Settable = settable;
        }

        public uint Id { get; }
        public string Name { get; }
        public ITypeSymbol Type { get; }
        public bool Settable { get; }
    }

    public static void Emit(SourceProductionContext output, KnownSymbols symbols, INamedTypeSymbol type, StringBuilder source, List<string> registrations)
    {
        var location = type.Locations.FirstOrDefault();
        if (!GrainCodeGenerator.IsAccessible(type))
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.Inaccessible, location, type.ToDisplayString()));
            return;
        }

        if (type.IsGenericType || (type.ContainingType?.IsGenericType ?? false))
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.GenericSerializable, location, type.ToDisplayString()));
            return;
        }

        var members = CollectMembers(symbols, type);
        var duplicate = members.GroupBy(m => m.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.DuplicateId, location, type.ToDisplayString(), duplicate.Key));
            return;
        }

        members = members.OrderBy(m => m.Id).ToList();
        var constructor = type.InstanceConstructors
            .Where(c => c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal)
            .FirstOrDefault(c => c.Parameters.Length == members.Count
                && c.Parameters.All(p => members.Any(m => string.Equals(m.Name, p.Name, StringComparison.OrdinalIgnoreCase))));
        var hasDefaultConstructor = type.IsValueType || type.InstanceConstructors.Any(c =>
            c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal);
        if (constructor is null && (!hasDefaultConstructor || members.Any(m => !m.Settable)))
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.NoConstructor, location, type.ToDisplayString()));
            return;
        }

        var typeName = type.ToDisplayString(KnownSymbols.TypeOfFormat);
        var codec = GrainCodeGenerator.Sanitize(InterfaceEmitter.MetadataName(type)) + "_Codec";
        var isReference = type.IsReferenceType;
        var display = InterfaceEmitter.Escape(type.ToDisplayString());

        source.AppendLine($"    internal sealed class {codec} : global::Switchboard.Runtime.Serialization.IFieldCodec<{typeName}{(isReference ? "?" : string.Empty)}>");
        source.AppendLine("    {");
        source.AppendLine($"        public void Write(global::Switchboard.Runtime.Serialization.CodecWriter writer, {typeName}{(isReference ? "?" : string.Empty)} value)");
        source.AppendLine("        {");
        if (isReference)
        {
            source.AppendLine("            if (value is null) { writer.WriteByte(0); return; }");
            source.AppendLine("            writer.WriteByte(1);");
        }

        source.AppendLine($"            writer.WriteVarUInt32({members.Count}u);");
        foreach (var m in members)
        {
            source.AppendLine($"            writer.Write<{m.Type.ToDisplayString(KnownSymbols.TypeFormat)}>(value.{m.Name});");
        }

        source.AppendLine("        }");
        source.AppendLine($"        public {typeName}{(isReference ? "?" : string.Empty)} Read(global::Switchboard.Runtime.Serialization.CodecReader reader)");
        source.AppendLine("        {");
        if (isReference)
        {
            source.AppendLine("            var presence = reader.ReadByte();");
            source.AppendLine("            if (presence == 0) { return null; }");
            source.AppendLine($"            if (presence != 1) {{ throw new global::Switchboard.Runtime.Serialization.CodecException(\"Invalid presence byte \" + presence + \" for {display}.\"); }}");
        }

        source.AppendLine("            var count = reader.ReadVarUInt32();");
        source.AppendLine($"            if (count != {members.Count}u) {{ throw new global::Switchboard.Runtime.Serialization.CodecException(\"Schema mismatch for {display}: expected {members.Count} fields, got \" + count + \".\"); }}");
        for (var i = 0; i < members.Count; i++)
        {
            var m = members[i];
            source.AppendLine($"            var f{i} = reader.Read<{m.Type.ToDisplayString(KnownSymbols.TypeFormat)}>();");
            if (m.Type.IsReferenceType && m.Type.NullableAnnotation != NullableAnnotation.Annotated)
            {
                source.AppendLine($"            if (f{i} is null) {{ throw new global::Switchboard.Runtime.Serialization.CodecException(\"Field {InterfaceEmitter.Escape(m.Name)} of {display} must not be null.\"); }}");
            }
        }

        if (constructor is not null)
        {
            var args = constructor.Parameters.Select(p =>
                "f" + members.FindIndex(m => string.Equals(m.Name, p.Name, StringComparison.OrdinalIgnoreCase)));
            source.AppendLine($"            return new {typeName}({string.Join(", ", args)});");
        }
        else
        {
            var inits = members.Select((m, i) => $"{m.Name} = f{i}");
            source.AppendLine($"            return new {typeName} {{ {string.Join(", ", inits)} }};");
        }

        source.AppendLine("        }");
        source.AppendLine("    }");
        registrations.Add($"global::Switchboard.Runtime.Serialization.CodecRegistry.Register<{typeName}{(isReference ? "?" : string.Empty)}>(new {codec}());");
    }

    private static List<Member> CollectMembers(KnownSymbols symbols, INamedTypeSymbol type)
    {
        var members = new List<Member>();
        var primaryParameterIds = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var constructor in type.InstanceConstructors)
        {
            foreach (var parameter in constructor.Parameters)
            {
                if (GrainCodeGenerator.GetAttribute(parameter, symbols.Id) is { ConstructorArguments.Length: 1 } attribute
                    && attribute.ConstructorArguments[0].Value is uint id)
                {
                    primaryParameterIds[parameter.Name] = id;
                }
            }
        }

        foreach (var member in type.GetMembers())
        {
            if (member.IsStatic || member.IsImplicitlyDeclared && member is not IPropertySymbol)
            {
                continue;
            }

            uint? id = null;
            if (GrainCodeGenerator.GetAttribute(member, symbols.Id) is { ConstructorArguments.Length: 1 } attribute
                && attribute.ConstructorArguments[0].Value is uint declared)
            {
                id = declared;
            }
            else if (member is IPropertySymbol && primaryParameterIds.TryGetValue(member.Name, out var fromParameter))
            {
                id = fromParameter;
            }

            if (id is null)
            {
                continue;
            }

            switch (member)
            {
                case IPropertySymbol property:
                    members.Add(new Member(id.Value, property.Name, property.Type, property.SetMethod is not null));
                    break;
                case IFieldSymbol field:
                    members.Add(new Member(id.Value, field.Name, field.Type, !field.IsReadOnly));
                    break;
            }
        }

        return members;
    }
}
