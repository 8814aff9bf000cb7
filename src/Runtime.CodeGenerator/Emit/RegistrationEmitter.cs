using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Switchboard.Runtime.CodeGenerator.Model;

namespace Switchboard.Runtime.CodeGenerator.Emit;

/// <summary>
/// Emits the single module initializer of a compilation. It registers every generated interface descriptor and
/// codec. The runtime forces module constructors on lookup (<c>RuntimeHelpers.RunModuleConstructor</c>), so
/// registration needs neither assembly scanning nor an explicit call from the host.
/// </summary>
internal static class RegistrationEmitter
{
    public static string Emit(string assemblyName, IReadOnlyList<InterfaceModel> interfaces, IReadOnlyList<SerializerModel> serializers)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Line("namespace Switchboard.Runtime.Generated;").Line();
        w.Line("/// <summary>Registers the generated code of assembly " + assemblyName + ".</summary>");
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"Switchboard.Runtime.CodeGenerator\", \"1.0\")]");
        w.Open("internal static class " + ClassName(assemblyName));
        w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        w.Open("internal static void Initialize()");
        foreach (var serializer in serializers)
        {
            w.Line("global::Switchboard.Runtime.Serialization.CodecRegistry.Register<" + serializer.FullyQualifiedName + ">(new " + CodecEmitter.QualifiedCodecName(serializer) + "());");
        }

        foreach (var model in interfaces)
        {
            var grainType = model.IsObserver ? "global::Switchboard.Runtime.GrainId.ObserverType" : SymbolNames.Literal(model.GrainType ?? string.Empty);
            w.Line("global::Switchboard.Runtime.Invocation.GrainInterfaceRegistry.Register(new global::Switchboard.Runtime.Invocation.GrainInterfaceDescriptor(");
            w.Line("    typeof(" + model.FullyQualifiedName + "),");
            w.Line("    " + model.InterfaceId.ToString(CultureInfo.InvariantCulture) + "u,");
            w.Line("    " + grainType + ",");
            w.Line("    " + (model.IsObserver ? "true" : "false") + ",");
            w.Line("    static (runtime, grainId) => new " + InterfaceEmitter.QualifiedProxyName(model) + "(runtime, grainId),");
            w.Line("    new " + InterfaceEmitter.QualifiedInvokerName(model) + "()));");
        }

        w.Close();
        w.Close();
        return w.ToString();
    }

    private static string ClassName(string assemblyName)
    {
        var builder = new StringBuilder("GeneratedRegistration_");
        foreach (var c in assemblyName)
        {
            builder.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return builder.ToString();
    }
}
