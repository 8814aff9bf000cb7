namespace Switchboard.Runtime.Tests.Serialization;

/// <summary>A byte-backed enum for the enum codec tests.</summary>
public enum ByteEnum : byte
{
    Zero,
    Max = byte.MaxValue,
}
