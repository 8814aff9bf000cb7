namespace Switchboard.Runtime.Tests.Serialization;

public enum ByteEnum : byte
{
    Zero,
    Max = byte.MaxValue,
}

public enum SByteEnum : sbyte
{
    Min = sbyte.MinValue,
    Max = sbyte.MaxValue,
}

public enum LongEnum : long
{
    Min = long.MinValue,
    Max = long.MaxValue,
}

public enum ULongEnum : ulong
{
    Zero,
    Max = ulong.MaxValue,
}

public enum IntEnum
{
    A = -1,
    B = 1,
}
