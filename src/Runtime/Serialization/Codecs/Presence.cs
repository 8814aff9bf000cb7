namespace Switchboard.Runtime.Serialization.Codecs;

/// <summary>The presence byte in front of nullable values: 0 = null, 1 = a value follows; anything else is malformed.</summary>
internal static class Presence
{
    public static bool Read(CodecReader reader, Type type)
    {
        var presence = reader.ReadByte();
        return presence switch
        {
            0 => false,
            1 => true,
            _ => throw new CodecException($"Invalid presence byte {presence} for {type}."),
        };
    }
}
