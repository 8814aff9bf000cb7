namespace Switchboard.Runtime.Tests.Serialization;

/// <summary>A sbyte-backed enum for the enum codec tests.</summary>
public enum SByteEnum : sbyte
{
    Min = sbyte.MinValue,
    Max = sbyte.MaxValue,
}
