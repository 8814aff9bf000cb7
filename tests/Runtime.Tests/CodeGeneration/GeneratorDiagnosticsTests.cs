using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Switchboard.Runtime.CodeGenerator;

namespace Switchboard.Runtime.Tests.CodeGeneration;

/// <summary>Drives the generator over small compilations: unsupported shapes must be compile errors, and supported
/// ones must produce code that compiles without a single warning under nullable annotations.</summary>
public sealed class GeneratorDiagnosticsTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Switchboard.Runtime;

        namespace Sample;

        """;

    [Theory]
    [InlineData("int Get();", "SBGEN001")]
    [InlineData("Task<int>[] Get();", "SBGEN001")]
    [InlineData("[OneWay] Task<int> Get();", "SBGEN002")]
    [InlineData("[OneWay] ValueTask<string> Get();", "SBGEN002")]
    [InlineData("Task Get<T>(T value);", "SBGEN003")]
    [InlineData("Task Get(ref int value);", "SBGEN004")]
    [InlineData("Task Get(out int value);", "SBGEN004")]
    [InlineData("Task Get(in int value);", "SBGEN004")]
    [InlineData("Task Get(int value, System.Threading.CancellationToken cancellationToken);", "SBGEN008")]
    [InlineData("int Value { get; }", "SBGEN005")]
    [InlineData("event System.EventHandler Changed;", "SBGEN005")]
    public void GrainInterface_UnsupportedMember_ReportsError(string member, string expectedId)
    {
        var diagnostics = Run(Usings + "public interface IBadGrain : IGrainWithStringKey { " + member + " }", out _);

        var diagnostic = Assert.Single(diagnostics, d => d.Id.StartsWith("SBGEN", StringComparison.Ordinal));
        Assert.Equal(expectedId, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("IBadGrain", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void GrainInterface_Generic_ReportsError()
    {
        var diagnostics = Run(Usings + "public interface IBadGrain<T> : IGrainWithStringKey { Task Get(); }", out _);

        Assert.Contains(diagnostics, d => d.Id == "SBGEN006");
    }

    [Fact]
    public void Serializer_DuplicateId_ReportsError()
    {
        var diagnostics = Run(Usings + "[GenerateSerializer] public sealed record R([property: Id(1)] int A, [property: Id(1)] int B);", out _);

        var diagnostic = Assert.Single(diagnostics, d => d.Id.StartsWith("SBGEN", StringComparison.Ordinal));
        Assert.Equal("SBGEN010", diagnostic.Id);
    }

    [Theory]
    [InlineData("[GenerateSerializer] public sealed class G<T> { [Id(0)] public T? Value { get; set; } }")]
    [InlineData("public class Outer<T> { [GenerateSerializer] public sealed class Inner { [Id(0)] public int X { get; set; } } }")]
    public void Serializer_GenericOrNestedInGeneric_ReportsError(string source)
    {
        var diagnostics = Run(Usings + source, out _);

        Assert.Contains(diagnostics, d => d.Id == "SBGEN011");
    }

    [Fact]
    public void Serializer_GetOnlyMemberWithoutConstructor_ReportsError()
    {
        var diagnostics = Run(Usings + "[GenerateSerializer] public sealed class C { [Id(0)] public int X { get; } }", out _);

        Assert.Contains(diagnostics, d => d.Id == "SBGEN012");
    }

    [Fact]
    public void Generator_SupportedShapes_GeneratedCodeCompilesWithoutWarnings()
    {
        var source = Usings + """
            public interface IBaseGrain : IGrainWithStringKey { Task<string?> Name(); }
            public interface IGoodGrain : IBaseGrain
            {
                Task<int?> A(string? text, byte[]? data, List<string?> items);
                [OneWay] ValueTask B(R record);
                [ReadOnly, AlwaysInterleave] ValueTask<IReadOnlyDictionary<string, int>> C(IGoodObserver observer);
                Task @class(int @event);
            }
            public interface IGoodObserver : IGrainObserver { [OneWay] Task Tell(string message); }
            [GenerateSerializer] public sealed record R([property: Id(0)] string? A, [Id(1)] int? B, [property: Id(2)] byte[]? C);
            [GenerateSerializer] public sealed class K { [Id(0)] public string Name { get; init; } = ""; [Id(1)] public int Age; }
            [GenerateSerializer] public readonly struct S(int x) { [Id(0)] public int X { get; } = x; }
            [GenerateSerializer] public enum E { One }
            public class Holder { [GenerateSerializer] public sealed record Nested([property: Id(0)] long V); }
            """;

        var diagnostics = Run(source, out var generated);

        Assert.Empty(diagnostics);
        Assert.Contains(generated, t => t.FilePath.EndsWith("Sample.IGoodGrain.g.cs", StringComparison.Ordinal));
        Assert.Contains(generated, t => t.FilePath.EndsWith("Sample.Holder.Nested.Codec.g.cs", StringComparison.Ordinal));
        Assert.DoesNotContain(generated, t => t.FilePath.Contains("Sample.E.", StringComparison.Ordinal));
    }

    [Fact]
    public void Generator_CompilationWithoutRuntime_EmitsNothing()
    {
        var tree = CSharpSyntaxTree.ParseText("namespace X; public interface IFoo : System.IDisposable { }");
        var compilation = CSharpCompilation.Create("NoRuntime", [tree], PlatformReferences(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        var result = CSharpGeneratorDriver.Create(new GrainCodeGenerator()).RunGenerators(compilation).GetRunResult();

        Assert.Empty(result.GeneratedTrees);
        Assert.Empty(result.Diagnostics);
    }

    /// <summary>Runs the generator and returns generator diagnostics plus every warning or error of the final compilation.</summary>
    private static ImmutableArray<Diagnostic> Run(string source, out ImmutableArray<SyntaxTree> generated)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var tree = CSharpSyntaxTree.ParseText(source, parseOptions);
        var references = PlatformReferences().Add(MetadataReference.CreateFromFile(typeof(IGrain).Assembly.Location));
        var compilation = CSharpCompilation.Create("Sample", [tree], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        CSharpGeneratorDriver.Create([new GrainCodeGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        generated = output.SyntaxTrees.Where(t => !ReferenceEquals(t, tree)).ToImmutableArray();
        var compileDiagnostics = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning);
        return generatorDiagnostics.AddRange(compileDiagnostics.Where(d => !generatorDiagnostics.Any(g => g.Id == d.Id)));
    }

    private static ImmutableArray<MetadataReference> PlatformReferences()
        => ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
}
