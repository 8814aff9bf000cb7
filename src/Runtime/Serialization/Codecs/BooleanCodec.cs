namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>One byte, 0 or 1; any other byte is malformed.</summary>
internal sealed class BooleanCodec : IFieldCodec<bool>
{
    public static readonly BooleanCodec Instance = new();

    public void Write(CodecWriter writer, bool value) => writer.WriteBoolean(value);

    public bool Read(CodecReader reader) => reader.ReadBoolean();
}
