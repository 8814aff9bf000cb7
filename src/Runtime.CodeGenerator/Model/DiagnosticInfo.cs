using System;
using Microsoft.CodeAnalysis;

namespace Switchboard.Runtime.CodeGenerator.Model;

/// <summary>A diagnostic kept as plain data in the pipeline; turned into a <see cref="Diagnostic"/> at output time.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, Location? Location, EquatableArray<StringValue> Arguments)
{
    public Diagnostic ToDiagnostic()
    {
        var args = new object[Arguments.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = Arguments[i].Value;
        }

        return Diagnostic.Create(Descriptor, Location, args);
    }

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, ISymbol? symbol, params string[] arguments)
    {
        Location? location = null;
        if (symbol is not null && symbol.Locations.Length > 0 && symbol.Locations[0].IsInSource)
        {
            var source = symbol.Locations[0];
            // Detach from the syntax tree so the model does not pin the compilation.
            location = Location.Create(source.SourceTree?.FilePath ?? string.Empty, source.SourceSpan, source.GetLineSpan().Span);
        }

        var builder = System.Collections.Immutable.ImmutableArray.CreateBuilder<StringValue>(arguments.Length);
        foreach (var argument in arguments)
        {
            builder.Add(new StringValue(argument));
        }

        return new DiagnosticInfo(descriptor, location, new EquatableArray<StringValue>(builder.MoveToImmutable()));
    }
}
