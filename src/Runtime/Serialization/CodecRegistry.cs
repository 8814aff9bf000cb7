using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Switchboard.Runtime.Serialization.Codecs;

namespace Switchboard.Runtime.Serialization;

/// <summary>
/// Process-wide codec table. Generated serializers register from module initializers; built-in and generic
/// codecs (collections, enums, nullables, references) are created on first use of each closed type.
/// </summary>
public static class CodecRegistry
{
    private static readonly ConcurrentDictionary<Type, object> Codecs = new();

    /// <summary>Registers the codec for <typeparamref name="T"/> (called by generated code).</summary>
    public static void Register<T>(IFieldCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        Codecs[typeof(T)] = codec;
    }

    internal static IFieldCodec<T> Resolve<T>()
    {
        if (Codecs.TryGetValue(typeof(T), out var codec))
        {
            return (IFieldCodec<T>)codec;
        }

        // Built-in shapes: created once per closed type, then served from the table.
        if (BuiltInCodecs.TryCreate(typeof(T)) is { } builtIn)
        {
            return (IFieldCodec<T>)Codecs.GetOrAdd(typeof(T), builtIn);
        }

        // Generated codecs register from their module's initializer, which has not necessarily run yet.
        RuntimeHelpers.RunModuleConstructor(typeof(T).Module.ModuleHandle);
        if (Codecs.TryGetValue(typeof(T), out codec))
        {
            return (IFieldCodec<T>)codec;
        }

        throw new CodecException($"No codec for {typeof(T)}: mark it [GenerateSerializer] or use a supported built-in type.");
    }
}
