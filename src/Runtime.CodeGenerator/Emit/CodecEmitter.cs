using System.Globalization;
using System.Linq;
using Switchboard.Runtime.CodeGenerator.Model;

namespace Switchboard.Runtime.CodeGenerator.Emit;

/// <summary>
/// Emits the codec of one <c>[GenerateSerializer]</c> type. Format: for reference types a presence byte (0 null,
/// 1 value); a varint member count; each member in ascending id order through its own codec. The count is checked
/// on read so that a peer built from a different version of the type fails with a clear schema error instead of
/// misreading fields.
/// </summary>
internal static class CodecEmitter
{
    public static string CodecName(SerializerModel model) => model.GeneratedName + "Codec";

    public static string QualifiedCodecName(SerializerModel model)
        => model.Namespace.Length == 0 ? "global::" + CodecName(model) : "global::" + model.Namespace + "." + CodecName(model);

    public static string Emit(SerializerModel model)
    {
        var type = model.FullyQualifiedName;
        var count = model.Members.Count.ToString(CultureInfo.InvariantCulture);
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        if (model.Namespace.Length > 0)
        {
            w.Line("namespace " + model.Namespace + ";").Line();
        }

        w.Line("/// <summary>Generated codec of " + Escape(model.DisplayName) + ".</summary>");
        w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"Switchboard.Runtime.CodeGenerator\", \"1.0\")]");
        w.Open("internal sealed class " + CodecName(model) + " : global::Switchboard.Runtime.Serialization.IFieldCodec<" + type + ">");

        w.Open("public void Write(global::Switchboard.Runtime.Serialization.CodecWriter writer, " + type + " value)");
        if (!model.IsValueType)
        {
            w.Open("if (value is null)");
            w.Line("writer.WriteByte(0);");
            w.Line("return;");
            w.Close();
            w.Line();
            w.Line("writer.WriteByte(1);");
        }

        w.Line("writer.WriteVarUInt32(" + count + ");");
        foreach (var member in model.Members)
        {
            w.Line("writer.Write<" + member.Type + ">(value." + member.Name + ");");
        }

        w.Close();
        w.Line();

        w.Open("public " + type + " Read(global::Switchboard.Runtime.Serialization.CodecReader reader)");
        if (!model.IsValueType)
        {
            w.Line("var presence = reader.ReadByte();");
            w.Open("if (presence == 0)");
            w.Line("return null!;");
            w.Close();
            w.Line();
            w.Open("if (presence != 1)");
            w.Line("throw new global::Switchboard.Runtime.Serialization.CodecException(\"Invalid presence byte \" + presence.ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \" for " + Escape(model.DisplayName) + ".\");");
            w.Close();
            w.Line();
        }

        w.Line("var count = reader.ReadVarUInt32();");
        w.Open("if (count != " + count + ")");
        w.Line("throw new global::Switchboard.Runtime.Serialization.CodecException(\"schema mismatch for " + Escape(model.DisplayName) + ": expected " + count + " fields, got \" + count.ToString(global::System.Globalization.CultureInfo.InvariantCulture));");
        w.Close();
        w.Line();
        foreach (var member in model.Members)
        {
            w.Line("var " + member.Local + " = reader.Read<" + member.Type + ">();");
        }

        var construct = "new " + type + "(" + string.Join(", ", model.ConstructorArguments.Select(a => a.Value)) + ")";
        if (model.Initializers.Count == 0)
        {
            w.Line("return " + construct + ";");
        }
        else
        {
            w.Line("return " + construct);
            w.Line("{");
            foreach (var member in model.Initializers)
            {
                w.Line("    " + member.Name + " = " + member.Local + ",");
            }

            w.Line("};");
        }

        w.Close();
        w.Close();
        return w.ToString();
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("<", "&lt;").Replace(">", "&gt;");
}
