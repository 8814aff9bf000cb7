using System.Runtime.CompilerServices;
using Switchboard.Runtime.Invocation;

namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>
/// Grain and observer references (any interface deriving <see cref="IAddressable"/>): presence byte, grain type,
/// key, and the interface id of the proxy. Only references travel, never objects: passing the implementation itself
/// would silently copy it. Reading needs a context that can rebuild references; the interface id picks the most
/// specific generated proxy when the declared type is a base interface.
/// </summary>
internal sealed class GrainReferenceCodec<T> : IFieldCodec<T?>
    where T : class, IAddressable
{
    // Interface ids are looked up without a type in hand, so make sure the declared interface's generated
    // registrations (its module initializer) have run before the first read.
    public GrainReferenceCodec() => RuntimeHelpers.RunModuleConstructor(typeof(T).Module.ModuleHandle);

    public void Write(CodecWriter writer, T? value)
    {
        if (value is null)
        {
            writer.WriteByte(0);
            return;
        }

        if (value is not GrainReference reference)
        {
            throw new InvalidOperationException(
                $"Cannot serialize {value.GetType()} as {typeof(T)}: pass a reference created by IGrainFactory, not the object itself.");
        }

        writer.WriteByte(1);
        writer.WriteString(reference.GrainId.Type);
        writer.WriteString(reference.GrainId.Key);
        writer.WriteVarUInt32(reference.InterfaceId);
    }

    public T? Read(CodecReader reader)
    {
        if (!Presence.Read(reader, typeof(T)))
        {
            return null;
        }

        var type = reader.ReadString() ?? throw new CodecException($"Null grain type in a reference of {typeof(T)}.");
        var key = reader.ReadString() ?? throw new CodecException($"Null key in a reference of {typeof(T)}.");
        var interfaceId = reader.ReadVarUInt32();
        var references = reader.Context.References
            ?? throw new CodecException($"A reference of {typeof(T)} was read without a serialization context that can rebuild references.");

        var interfaceType = GrainInterfaceRegistry.TryGet(interfaceId, out var descriptor) && typeof(T).IsAssignableFrom(descriptor.InterfaceType)
            ? descriptor.InterfaceType
            : typeof(T);
        var rebuilt = references.GetReference(interfaceType, new GrainId(type, key));
        return rebuilt as T ?? throw new CodecException($"The runtime rebuilt a {rebuilt.GetType()} where {typeof(T)} was expected.");
    }
}
