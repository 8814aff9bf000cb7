using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Switchboard.Runtime.CodeGenerator;

/// <summary>Emits the proxy and invoker of one grain or observer interface.</summary>
internal static class InterfaceEmitter
{
    private enum ReturnKind { Task, TaskOfT, ValueTask, ValueTaskOfT }

    private sealed class MethodModel
    {
        public MethodModel(IMethodSymbol method, ReturnKind kind, ITypeSymbol? result, string flags)
        {
            Method = method;
            Kind = kind;
            Result = result;
            Flags = flags;
        }

        public IMethodSymbol Method { get; }
        public ReturnKind Kind { get; }
        public ITypeSymbol? Result { get; }
        public string Flags { get; }
        public bool IsOneWay => Flags.Contains("OneWay");
    }

    public static void Emit(SourceProductionContext output, KnownSymbols symbols, INamedTypeSymbol type, StringBuilder source, List<string> registrations)
    {
        var location = type.Locations.FirstOrDefault();
        if (!GrainCodeGenerator.IsAccessible(type))
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.Inaccessible, location, type.ToDisplayString()));
            return;
        }

        if (type.IsGenericType)
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.GenericSerializable, location, type.ToDisplayString()));
            return;
        }

        var methods = new List<MethodModel>();
        var valid = true;
        var declaring = type.AllInterfaces.Where(i => !symbols.IsMarker(i)).Append(type);
        foreach (var iface in declaring)
        {
            foreach (var member in iface.GetMembers())
            {
                switch (member)
                {
                    case IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false, IsAbstract: true } method:
                        var model = Analyze(output, symbols, method);
                        if (model is null)
                        {
                            valid = false;
                        }
                        else
                        {
                            methods.Add(model);
                        }

                        break;
                    case IPropertySymbol or IEventSymbol when !member.IsStatic:
                        output.ReportDiagnostic(Diagnostic.Create(Diagnostics.PropertyOrEvent, member.Locations.FirstOrDefault(), iface.ToDisplayString(), member.Name));
                        valid = false;
                        break;
                }
            }
        }

        if (!valid)
        {
            return;
        }

        var interfaceName = type.ToDisplayString(KnownSymbols.TypeOfFormat);
        var metadataName = MetadataName(type);
        var interfaceId = Fnv1a(metadataName);
        var isObserver = symbols.IsObserver(type);
        var grainType = isObserver ? "sys.observer" : GrainTypeName(symbols, type);
        var baseName = GrainCodeGenerator.Sanitize(metadataName);
        var proxy = baseName + "_Proxy";
        var invoker = baseName + "_Invoker";

        // Proxy.
        source.AppendLine($"    internal sealed class {proxy} : global::Switchboard.Runtime.Invocation.GrainReference, {interfaceName}");
        source.AppendLine("    {");
        source.AppendLine($"        public {proxy}(global::Switchboard.Runtime.Invocation.IGrainReferenceRuntime runtime, global::Switchboard.Runtime.GrainId grainId) : base(runtime, grainId) {{ }}");
        source.AppendLine($"        public override uint InterfaceId => {interfaceId}u;");
        source.AppendLine($"        public override global::System.Type InterfaceType => typeof({interfaceName});");
        for (var id = 0; id < methods.Count; id++)
        {
            var m = methods[id];
            var parameters = string.Join(", ", m.Method.Parameters.Select(p => $"{p.Type.ToDisplayString(KnownSymbols.TypeFormat)} @{p.Name}"));
            source.AppendLine($"        {m.Method.ReturnType.ToDisplayString(KnownSymbols.TypeFormat)} {m.Method.ContainingType.ToDisplayString(KnownSymbols.TypeOfFormat)}.{m.Method.Name}({parameters})");
            source.AppendLine("        {");
            source.AppendLine("            var writer = CreateArgumentWriter();");
            foreach (var p in m.Method.Parameters)
            {
                source.AppendLine($"            writer.Write<{p.Type.ToDisplayString(KnownSymbols.TypeFormat)}>(@{p.Name});");
            }

            var call = m.IsOneWay
                ? $"InvokeOneWay({id}, {m.Flags}, writer)"
                : m.Result is null
                    ? $"InvokeVoidAsync({id}, {m.Flags}, writer)"
                    : $"InvokeAsync<{m.Result.ToDisplayString(KnownSymbols.TypeFormat)}>({id}, {m.Flags}, writer)";
            var body = m.Kind switch
            {
                ReturnKind.ValueTask => $"new global::System.Threading.Tasks.ValueTask({call})",
                ReturnKind.ValueTaskOfT => $"new global::System.Threading.Tasks.ValueTask<{m.Result!.ToDisplayString(KnownSymbols.TypeFormat)}>({call})",
                _ => call,
            };
            source.AppendLine($"            return {body};");
            source.AppendLine("        }");
        }

        source.AppendLine("    }");

        // Invoker.
        source.AppendLine($"    internal sealed class {invoker} : global::Switchboard.Runtime.Invocation.IGrainInvoker");
        source.AppendLine("    {");
        source.AppendLine("        public global::Switchboard.Runtime.Invocation.InvocationFlags GetFlags(ushort methodId) => methodId switch");
        source.AppendLine("        {");
        for (var id = 0; id < methods.Count; id++)
        {
            source.AppendLine($"            {id} => {methods[id].Flags},");
        }

        source.AppendLine($"            _ => throw new global::Switchboard.Runtime.Serialization.CodecException(\"Unknown method id \" + methodId + \" for {Escape(metadataName)}.\"),");
        source.AppendLine("        };");
        source.AppendLine("        public string GetMethodName(ushort methodId) => methodId switch");
        source.AppendLine("        {");
        for (var id = 0; id < methods.Count; id++)
        {
            source.AppendLine($"            {id} => \"{type.Name}.{methods[id].Method.Name}\",");
        }

        source.AppendLine($"            _ => \"{type.Name}.#\" + methodId,");
        source.AppendLine("        };");
        source.AppendLine("        public async global::System.Threading.Tasks.ValueTask InvokeAsync(object target, ushort methodId, global::Switchboard.Runtime.Serialization.CodecReader arguments, global::Switchboard.Runtime.Serialization.CodecWriter result)");
        source.AppendLine("        {");
        source.AppendLine($"            var grain = ({interfaceName})target;");
        source.AppendLine("            switch (methodId)");
        source.AppendLine("            {");
        for (var id = 0; id < methods.Count; id++)
        {
            var m = methods[id];
            source.AppendLine($"                case {id}:");
            source.AppendLine("                {");
            var args = new List<string>();
            for (var i = 0; i < m.Method.Parameters.Length; i++)
            {
                source.AppendLine($"                    var arg{i} = arguments.Read<{m.Method.Parameters[i].Type.ToDisplayString(KnownSymbols.TypeFormat)}>();");
                args.Add($"arg{i}");
            }

            var invocation = $"grain.{m.Method.Name}({string.Join(", ", args)})";
            if (m.Result is null)
            {
                source.AppendLine($"                    await {invocation};");
            }
            else
            {
                source.AppendLine($"                    var value = await {invocation};");
                source.AppendLine($"                    result.Write<{m.Result.ToDisplayString(KnownSymbols.TypeFormat)}>(value);");
            }

            source.AppendLine("                    return;");
            source.AppendLine("                }");
        }

        source.AppendLine("                default:");
        source.AppendLine($"                    throw new global::Switchboard.Runtime.Serialization.CodecException(\"Unknown method id \" + methodId + \" for {Escape(metadataName)}.\");");
        source.AppendLine("            }");
        source.AppendLine("        }");
        source.AppendLine("    }");

        registrations.Add(
            $"global::Switchboard.Runtime.Invocation.GrainInterfaceRegistry.Register(new global::Switchboard.Runtime.Invocation.GrainInterfaceDescriptor(" +
            $"typeof({interfaceName}), {interfaceId}u, \"{Escape(grainType)}\", {(isObserver ? "true" : "false")}, " +
            $"static (runtime, grainId) => new {proxy}(runtime, grainId), new {invoker}()));");
    }

    private static MethodModel? Analyze(SourceProductionContext output, KnownSymbols symbols, IMethodSymbol method)
    {
        var location = method.Locations.FirstOrDefault();
        var name = $"{method.ContainingType.Name}.{method.Name}";
        var ok = true;
        if (method.IsGenericMethod)
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.GenericMethod, location, name));
            ok = false;
        }

        foreach (var p in method.Parameters.Where(p => p.RefKind != RefKind.None))
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.RefParameter, location, name, p.Name));
            ok = false;
        }

        ReturnKind kind;
        ITypeSymbol? result = null;
        var returnType = method.ReturnType as INamedTypeSymbol;
        if (SymbolEqualityComparer.Default.Equals(returnType, symbols.Task))
        {
            kind = ReturnKind.Task;
        }
        else if (SymbolEqualityComparer.Default.Equals(returnType, symbols.ValueTask))
        {
            kind = ReturnKind.ValueTask;
        }
        else if (returnType is { IsGenericType: true } && SymbolEqualityComparer.Default.Equals(returnType.OriginalDefinition, symbols.TaskOfT))
        {
            kind = ReturnKind.TaskOfT;
            result = returnType.TypeArguments[0];
        }
        else if (returnType is { IsGenericType: true } && SymbolEqualityComparer.Default.Equals(returnType.OriginalDefinition, symbols.ValueTaskOfT))
        {
            kind = ReturnKind.ValueTaskOfT;
            result = returnType.TypeArguments[0];
        }
        else
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.UnsupportedReturnType, location, name, method.ReturnType.ToDisplayString()));
            return null;
        }

        var flags = new List<string>();
        if (GrainCodeGenerator.HasAttribute(method, symbols.OneWay))
        {
            if (result is not null)
            {
                output.ReportDiagnostic(Diagnostic.Create(Diagnostics.OneWayWithResult, location, name));
                ok = false;
            }

            flags.Add("OneWay");
        }

        if (GrainCodeGenerator.HasAttribute(method, symbols.AlwaysInterleave))
        {
            flags.Add("AlwaysInterleave");
        }

        if (GrainCodeGenerator.HasAttribute(method, symbols.ReadOnly))
        {
            flags.Add("ReadOnly");
        }

        var flagText = flags.Count == 0
            ? "global::Switchboard.Runtime.Invocation.InvocationFlags.None"
            : string.Join(" | ", flags.Select(f => "global::Switchboard.Runtime.Invocation.InvocationFlags." + f));
        return ok ? new MethodModel(method, kind, result, flagText) : null;
    }

    private static string GrainTypeName(KnownSymbols symbols, INamedTypeSymbol type)
    {
        var attribute = GrainCodeGenerator.GetAttribute(type, symbols.GrainType);
        if (attribute is { ConstructorArguments.Length: 1 } && attribute.ConstructorArguments[0].Value is string explicitName)
        {
            return explicitName;
        }

        var name = type.Name;
        if (name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]))
        {
            name = name.Substring(1);
        }

        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > "Grain".Length)
        {
            name = name.Substring(0, name.Length - "Grain".Length);
        }

        return name.ToLowerInvariant();
    }

    internal static string MetadataName(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var containing = type.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            name = containing.MetadataName + "+" + name;
        }

        var ns = type.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? name : ns.ToDisplayString() + "." + name;
    }

    internal static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 16777619u;
        }

        return hash;
    }

    internal static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
