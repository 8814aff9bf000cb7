namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>The UTF-16 code unit as a varint (a lone surrogate is a valid <see cref="char"/> and survives).</summary>
internal sealed class CharCodec : IFieldCodec<char>
{
    public static readonly CharCodec Instance = new();

    public void Write(CodecWriter writer, char value) => writer.WriteVarUInt32(value);

    public char Read(CodecReader reader)
    {
        var value = reader.ReadVarUInt32();
        return value <= char.MaxValue ? (char)value : throw new CodecException($"Value {value} is not a UTF-16 code unit.");
    }
}
