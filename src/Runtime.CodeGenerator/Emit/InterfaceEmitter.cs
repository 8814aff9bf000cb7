using System.Globalization;
using System.Linq;
using Switchboard.Runtime.CodeGenerator.Model;

namespace Switchboard.Runtime.CodeGenerator.Emit;

/// <summary>Emits the proxy and the invoker of one grain or observer interface.</summary>
internal static class InterfaceEmitter
{
    private const string Writer = "global::Switchboard.Runtime.Serialization.CodecWriter";
    private const string Reader = "global::Switchboard.Runtime.Serialization.CodecReader";
    private const string Flags = "global::Switchboard.Runtime.Invocation.InvocationFlags";
    private const string CodecException = "global::Switchboard.Runtime.Serialization.CodecException";

    public static string ProxyName(InterfaceModel model) => model.GeneratedName + "Proxy";

    public static string InvokerName(InterfaceModel model) => model.GeneratedName + "Invoker";

    public static string QualifiedProxyName(InterfaceModel model) => Qualify(model.Namespace, ProxyName(model));

    public static string QualifiedInvokerName(InterfaceModel model) => Qualify(model.Namespace, InvokerName(model));

    public static string Emit(InterfaceModel model)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        if (model.Namespace.Length > 0)
        {
            w.Line("namespace " + model.Namespace + ";").Line();
        }

        EmitProxy(w, model);
        w.Line();
        EmitInvoker(w, model);
        return w.ToString();
    }

    private static void EmitProxy(SourceWriter w, InterfaceModel model)
    {
        var proxy = ProxyName(model);
        w.Line("/// <summary>Generated reference to " + model.MetadataName + ": serializes arguments and hands them to the runtime.</summary>");
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"Switchboard.Runtime.CodeGenerator\", \"1.0\")]");
        w.Open("internal sealed class " + proxy + " : global::Switchboard.Runtime.Invocation.GrainReference, " + model.FullyQualifiedName);
        w.Line("public " + proxy + "(global::Switchboard.Runtime.Invocation.IGrainReferenceRuntime runtime, global::Switchboard.Runtime.GrainId grainId)");
        w.Line("    : base(runtime, grainId)");
        w.Open("");
        w.Close();
        w.Line();
        w.Line("public override uint InterfaceId => " + model.InterfaceId.ToString(CultureInfo.InvariantCulture) + "u;");
        w.Line();
        w.Line("public override global::System.Type InterfaceType => typeof(" + model.FullyQualifiedName + ");");
        foreach (var method in model.Methods)
        {
            w.Line();
            var parameters = string.Join(", ", method.Parameters.Select(p => p.Type + " " + p.Name));
            w.Open(ReturnType(method) + " " + method.DeclaringInterface + "." + method.Name + "(" + parameters + ")");
            w.Line("var __writer = CreateArgumentWriter();");
            if (method.Parameters.Count > 0)
            {
                // A failing argument codec (say, a local object passed where a reference is required) must not leak the pooled buffer.
                w.Open("try");
                foreach (var parameter in method.Parameters)
                {
                    w.Line("__writer.Write<" + parameter.Type + ">(" + parameter.Name + ");");
                }

                w.Close();
                w.Open("catch");
                w.Line("__writer.Dispose();");
                w.Line("throw;");
                w.Close();
                w.Line();
            }

            var id = method.Id.ToString(CultureInfo.InvariantCulture);
            var isOneWay = method.Flags.Contains("OneWay");
            var call = method.ReturnKind switch
            {
                ReturnKind.Task or ReturnKind.ValueTask when isOneWay => "InvokeOneWay(" + id + ", " + method.Flags + ", __writer)",
                ReturnKind.Task or ReturnKind.ValueTask => "InvokeVoidAsync(" + id + ", " + method.Flags + ", __writer)",
                _ => "InvokeAsync<" + method.ResultType + ">(" + id + ", " + method.Flags + ", __writer)",
            };
            var wrapped = method.ReturnKind switch
            {
                ReturnKind.ValueTask => "new global::System.Threading.Tasks.ValueTask(" + call + ")",
                ReturnKind.ValueTaskOfT => "new global::System.Threading.Tasks.ValueTask<" + method.ResultType + ">(" + call + ")",
                _ => call,
            };
            w.Line("return " + wrapped + ";");
            w.Close();
        }

        w.Close();
    }

    private static void EmitInvoker(SourceWriter w, InterfaceModel model)
    {
        var name = model.MetadataName;
        w.Line("/// <summary>Generated dispatcher for " + model.MetadataName + ": method id to a direct interface call.</summary>");
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"Switchboard.Runtime.CodeGenerator\", \"1.0\")]");
        w.Open("internal sealed class " + InvokerName(model) + " : global::Switchboard.Runtime.Invocation.IGrainInvoker");

        w.Line("public " + Flags + " GetFlags(ushort methodId) => methodId switch");
        w.Line("{");
        foreach (var method in model.Methods)
        {
            w.Line("    " + method.Id.ToString(CultureInfo.InvariantCulture) + " => " + method.Flags + ",");
        }

        w.Line("    _ => throw UnknownMethod(methodId),");
        w.Line("};");
        w.Line();

        w.Line("public string GetMethodName(ushort methodId) => methodId switch");
        w.Line("{");
        foreach (var method in model.Methods)
        {
            w.Line("    " + method.Id.ToString(CultureInfo.InvariantCulture) + " => " + SourceLiteral(method.Name.TrimStart('@')) + ",");
        }

        w.Line("    _ => throw UnknownMethod(methodId),");
        w.Line("};");
        w.Line();

        // No ConfigureAwait(false): the runtime awaits this on the activation's scheduler and expects to stay there.
        w.Open("public async global::System.Threading.Tasks.ValueTask InvokeAsync(object target, ushort methodId, " + Reader + " arguments, " + Writer + " result)");
        w.Line("var __target = (" + model.FullyQualifiedName + ")target;");
        w.Open("switch (methodId)");
        foreach (var method in model.Methods)
        {
            w.Line("case " + method.Id.ToString(CultureInfo.InvariantCulture) + ":");
            w.Open("");
            var args = new string[method.Parameters.Count];
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = "__a" + i.ToString(CultureInfo.InvariantCulture);
                w.Line("var " + args[i] + " = arguments.Read<" + method.Parameters[i].Type + ">();");
            }

            var call = "__target." + method.Name + "(" + string.Join(", ", args) + ")";
            if (method.ReturnKind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT)
            {
                w.Line("var __r = await " + call + ";");
                w.Line("result.Write<" + method.ResultType + ">(__r);");
            }
            else
            {
                w.Line("await " + call + ";");
            }

            w.Line("return;");
            w.Close();
        }

        w.Line("default:");
        w.Line("    throw UnknownMethod(methodId);");
        w.Close();
        w.Close();
        w.Line();
        w.Line("private static " + CodecException + " UnknownMethod(ushort methodId)");
        w.Line("    => new " + CodecException + "(\"Unknown method id \" + methodId.ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \" for " + name + ".\");");
        w.Close();
    }

    private static string ReturnType(MethodModel method) => method.ReturnKind switch
    {
        ReturnKind.Task => "global::System.Threading.Tasks.Task",
        ReturnKind.ValueTask => "global::System.Threading.Tasks.ValueTask",
        ReturnKind.TaskOfT => "global::System.Threading.Tasks.Task<" + method.ResultType + ">",
        _ => "global::System.Threading.Tasks.ValueTask<" + method.ResultType + ">",
    };

    private static string SourceLiteral(string value) => SymbolNames.Literal(value);

    private static string Qualify(string ns, string name) => ns.Length == 0 ? "global::" + name : "global::" + ns + "." + name;
}
