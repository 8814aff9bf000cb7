namespace Switchboard.Runtime.Tests.Serialization;

/// <summary>A ulong-backed enum for the enum codec tests.</summary>
public enum ULongEnum : ulong
{
    Zero,
    Max = ulong.MaxValue,
}
