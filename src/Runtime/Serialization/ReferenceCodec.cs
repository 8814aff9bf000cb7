using Switchboard.Runtime.Invocation;

namespace Switchboard.Runtime.Serialization;

/// <summary>
/// Grain and observer references: presence, grain type, key. Reading rebuilds a proxy bound to the reading side's
/// runtime, so a reference handed across the wire routes calls from wherever it lands.
/// </summary>
internal sealed class ReferenceCodec<T> : IFieldCodec<T?> where T : class, IAddressable
{
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
                $"Cannot pass a {value.GetType().Name} as {typeof(T).Name}: pass a reference created by IGrainFactory, not the object itself.");
        }

        writer.WriteByte(1);
        writer.WriteString(reference.GrainId.Type);
        writer.WriteString(reference.GrainId.Key);
    }

    public T? Read(CodecReader reader)
    {
        if (!BuiltInCodecs.ReadPresence(reader))
        {
            return null;
        }

        var type = reader.ReadString() ?? throw new CodecException("Null grain type in a reference.");
        var key = reader.ReadString() ?? throw new CodecException("Null grain key in a reference.");
        var runtime = reader.Context.References
            ?? throw new CodecException($"A {typeof(T).Name} reference cannot be read without a runtime in the serialization context.");
        return (T)(object)runtime.GetReference(typeof(T), new GrainId(type, key));
    }
}
