namespace Switchboard.Runtime.Tests.Serialization;

/// <summary>A long-backed enum for the enum codec tests.</summary>
public enum LongEnum : long
{
    Min = long.MinValue,
    Max = long.MaxValue,
}
