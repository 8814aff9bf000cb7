namespace Switchboard.Runtime.Serialization;

/// <summary>Writes and reads one value of <typeparamref name="T"/> in the runtime's binary format.
/// Implementations are stateless and thread-safe.</summary>
/// <typeparam name="T">The value type.</typeparam>
public interface IFieldCodec<T>
{
    /// <summary>Writes <paramref name="value"/> (which may be null for reference types).</summary>
    void Write(CodecWriter writer, T value);

    /// <summary>Reads a value; throws <see cref="CodecException"/> on malformed input.</summary>
    T Read(CodecReader reader);
}
