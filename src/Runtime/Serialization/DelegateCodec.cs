namespace Switchboard.Runtime.Serialization;

/// <summary>A codec made of two delegates; used for the built-in scalar types.</summary>
internal sealed class DelegateCodec<T>(Action<CodecWriter, T> write, Func<CodecReader, T> read) : IFieldCodec<T>
{
    public void Write(CodecWriter writer, T value) => write(writer, value);

    public T Read(CodecReader reader) => read(reader);
}
