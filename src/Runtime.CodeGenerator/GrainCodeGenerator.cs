using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Switchboard.Runtime.CodeGenerator.Emit;
using Switchboard.Runtime.CodeGenerator.Model;

namespace Switchboard.Runtime.CodeGenerator;

/// <summary>
/// Emits, for each compilation that references Switchboard.Runtime:
/// a proxy (<c>XProxy : GrainReference, IX</c>) and an invoker (<c>XInvoker : IGrainInvoker</c>) per grain or
/// observer interface declared in the compilation, a codec (<c>XCodec : IFieldCodec&lt;X&gt;</c>) per
/// <c>[GenerateSerializer]</c> class, record or struct, and one module initializer that registers them all.
/// </summary>
/// <remarks>
/// Why a source generator rather than reflection at run time:
/// <list type="bullet">
/// <item>The hot path (every media frame is a grain call) does no reflection, no <c>MethodInfo.Invoke</c>, no boxing of
/// arguments into object arrays and no dynamic code: a call is a switch on the method id and a direct interface call,
/// and each argument goes through a statically typed, cached codec.</item>
/// <item>Unsupported shapes (non-task return types, <c>[OneWay]</c> with a result, generic methods, by-ref
/// parameters, properties on grain interfaces, duplicate field ids, members that cannot be restored) are compile
/// errors (SBGENxxx) at the declaration, not runtime surprises on first call.</item>
/// <item>Generated code is plain C# that can be read, stepped through, and trimmed or AOT-compiled.</item>
/// </list>
/// Wire contract: interface id = FNV-1a 32-bit of the interface's CLR full name; method id = position in the
/// flattened method list (base interfaces first). Both sides must be built from the same interface source.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class GrainCodeGenerator : IIncrementalGenerator
{
    private const string GenerateSerializerAttribute = "Switchboard.Runtime.GenerateSerializerAttribute";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var interfaces = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is InterfaceDeclarationSyntax { BaseList.Types.Count: > 0 },
                static (ctx, ct) => AnalyzeInterface(ctx, ct))
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .Collect();

        var serializers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                GenerateSerializerAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax or StructDeclarationSyntax,
                static (ctx, _) => ctx.TargetSymbol is INamedTypeSymbol type && type.TypeKind != TypeKind.Enum
                    ? SerializerAnalyzer.Analyze(type)
                    : null)
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .Collect();

        var compilationInfo = context.CompilationProvider.Select(static (c, _) => new CompilationInfo(
            c.AssemblyName ?? "Assembly",
            c.GetTypeByMetadataName("Switchboard.Runtime.IGrainWithStringKey") is not null));

        context.RegisterSourceOutput(
            interfaces.Combine(serializers).Combine(compilationInfo),
            static (spc, input) => Execute(spc, input.Left.Left, input.Left.Right, input.Right));
    }

    private static InterfaceModel? AnalyzeInterface(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.SemanticModel.GetDeclaredSymbol(context.Node, cancellationToken) is not INamedTypeSymbol type
            || !InterfaceAnalyzer.IsGrainOrObserver(type, out var isObserver))
        {
            return null;
        }

        return InterfaceAnalyzer.Analyze(type, isObserver);
    }

    private static void Execute(
        SourceProductionContext context,
        ImmutableArray<InterfaceModel> interfaceModels,
        ImmutableArray<SerializerModel> serializerModels,
        CompilationInfo compilation)
    {
        if (!compilation.ReferencesRuntime)
        {
            return;
        }

        // Partial interfaces and partial types produce one model per declaration; keep one of each.
        var interfaces = new List<InterfaceModel>();
        var seen = new HashSet<string>();
        foreach (var model in interfaceModels.OrderBy(static m => m.MetadataName, System.StringComparer.Ordinal))
        {
            if (!seen.Add(model.MetadataName))
            {
                continue;
            }

            if (model.Diagnostics.Count > 0)
            {
                foreach (var diagnostic in model.Diagnostics)
                {
                    context.ReportDiagnostic(diagnostic.ToDiagnostic());
                }

                continue;
            }

            interfaces.Add(model);
            context.AddSource(model.MetadataName.Replace('+', '.') + ".g.cs", SourceText.From(InterfaceEmitter.Emit(model), System.Text.Encoding.UTF8));
        }

        var serializers = new List<SerializerModel>();
        var seenTypes = new HashSet<string>();
        foreach (var model in serializerModels.OrderBy(static m => m.FullyQualifiedName, System.StringComparer.Ordinal))
        {
            if (!seenTypes.Add(model.FullyQualifiedName))
            {
                continue;
            }

            if (model.Diagnostics.Count > 0)
            {
                foreach (var diagnostic in model.Diagnostics)
                {
                    context.ReportDiagnostic(diagnostic.ToDiagnostic());
                }

                continue;
            }

            serializers.Add(model);
            var hint = model.FullyQualifiedName.Replace("global::", string.Empty) + ".Codec.g.cs";
            context.AddSource(hint, SourceText.From(CodecEmitter.Emit(model), System.Text.Encoding.UTF8));
        }

        if (interfaces.Count > 0 || serializers.Count > 0)
        {
            context.AddSource("Switchboard.Registration.g.cs", SourceText.From(RegistrationEmitter.Emit(compilation.AssemblyName, interfaces, serializers), System.Text.Encoding.UTF8));
        }
    }
}
