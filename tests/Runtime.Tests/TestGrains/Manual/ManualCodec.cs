using Switchboard.Runtime.Serialization;

namespace Switchboard.Runtime.Tests.TestGrains.Manual;

internal static class ManualCodec
{
    public static uint InterfaceIdOf(Type type)
    {
        // FNV-1a of the full name, as the generator computes it.
        var hash = 2166136261u;
        foreach (var c in type.FullName!)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    public static void WriteInts(CodecWriter writer, int[] values)
    {
        writer.WriteVarUInt32((uint)values.Length);
        foreach (var value in values)
        {
            writer.WriteVarInt32(value);
        }
    }

    public static int[] ReadInts(CodecReader reader)
    {
        var values = new int[reader.ReadCount()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadVarInt32();
        }

        return values;
    }

    public static void WriteStrings(CodecWriter writer, List<string> values)
    {
        writer.WriteVarUInt32((uint)values.Count);
        foreach (var value in values)
        {
            writer.WriteString(value);
        }
    }

    public static List<string> ReadStrings(CodecReader reader)
    {
        var count = reader.ReadCount();
        var values = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            values.Add(reader.ReadString()!);
        }

        return values;
    }

    public static void WriteReference(CodecWriter writer, IAddressable reference)
    {
        var grainReference = (Switchboard.Runtime.Invocation.GrainReference)reference;
        writer.WriteString(grainReference.GrainId.Type);
        writer.WriteString(grainReference.GrainId.Key);
    }

    public static T ReadReference<T>(CodecReader reader)
    {
        var id = new GrainId(reader.ReadString()!, reader.ReadString()!);
        var runtime = reader.Context.References ?? throw new CodecException("No runtime to rebuild references.");
        return (T)(object)runtime.GetReference(typeof(T), id);
    }
}
