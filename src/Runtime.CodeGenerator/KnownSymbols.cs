using System.Linq;
using Microsoft.CodeAnalysis;

namespace Switchboard.Runtime.CodeGenerator;

/// <summary>The runtime types the generator looks for, resolved once per compilation.</summary>
internal sealed class KnownSymbols
{
    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static readonly SymbolDisplayFormat TypeOfFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    private KnownSymbols(Compilation compilation)
    {
        IGrainWithStringKey = compilation.GetTypeByMetadataName("Switchboard.Runtime.IGrainWithStringKey")!;
        IGrainObserver = compilation.GetTypeByMetadataName("Switchboard.Runtime.IGrainObserver")!;
        IAddressable = compilation.GetTypeByMetadataName("Switchboard.Runtime.IAddressable")!;
        IGrain = compilation.GetTypeByMetadataName("Switchboard.Runtime.IGrain")!;
        OneWay = compilation.GetTypeByMetadataName("Switchboard.Runtime.OneWayAttribute")!;
        AlwaysInterleave = compilation.GetTypeByMetadataName("Switchboard.Runtime.AlwaysInterleaveAttribute")!;
        ReadOnly = compilation.GetTypeByMetadataName("Switchboard.Runtime.ReadOnlyAttribute")!;
        GenerateSerializer = compilation.GetTypeByMetadataName("Switchboard.Runtime.GenerateSerializerAttribute")!;
        Id = compilation.GetTypeByMetadataName("Switchboard.Runtime.IdAttribute")!;
        GrainType = compilation.GetTypeByMetadataName("Switchboard.Runtime.GrainTypeAttribute")!;
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task")!;
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1")!;
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask")!;
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1")!;
    }

    public INamedTypeSymbol IGrainWithStringKey { get; }
    public INamedTypeSymbol IGrainObserver { get; }
    public INamedTypeSymbol IAddressable { get; }
    public INamedTypeSymbol IGrain { get; }
    public INamedTypeSymbol OneWay { get; }
    public INamedTypeSymbol AlwaysInterleave { get; }
    public INamedTypeSymbol ReadOnly { get; }
    public INamedTypeSymbol GenerateSerializer { get; }
    public INamedTypeSymbol Id { get; }
    public INamedTypeSymbol GrainType { get; }
    public INamedTypeSymbol Task { get; }
    public INamedTypeSymbol TaskOfT { get; }
    public INamedTypeSymbol ValueTask { get; }
    public INamedTypeSymbol ValueTaskOfT { get; }

    public static KnownSymbols? Create(Compilation compilation)
        => compilation.GetTypeByMetadataName("Switchboard.Runtime.IGrainWithStringKey") is null ? null : new KnownSymbols(compilation);

    /// <summary>The marker interfaces themselves are not grain interfaces.</summary>
    public bool IsMarker(INamedTypeSymbol type)
        => SymbolEqualityComparer.Default.Equals(type, IGrainWithStringKey)
           || SymbolEqualityComparer.Default.Equals(type, IGrainObserver)
           || SymbolEqualityComparer.Default.Equals(type, IAddressable)
           || SymbolEqualityComparer.Default.Equals(type, IGrain);

    public bool IsGrainOrObserverInterface(INamedTypeSymbol type)
        => !IsMarker(type) && type.AllInterfaces.Any(i =>
            SymbolEqualityComparer.Default.Equals(i, IGrainWithStringKey) || SymbolEqualityComparer.Default.Equals(i, IGrainObserver));

    public bool IsObserver(INamedTypeSymbol type)
        => type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, IGrainObserver));
}
