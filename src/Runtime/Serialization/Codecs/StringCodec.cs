namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>Length-prefixed UTF-8; null and empty are distinct; invalid UTF-8 is malformed.</summary>
internal sealed class StringCodec : IFieldCodec<string?>
{
    public static readonly StringCodec Instance = new();

    public void Write(CodecWriter writer, string? value) => writer.WriteString(value);

    public string? Read(CodecReader reader) => reader.ReadString();
}
