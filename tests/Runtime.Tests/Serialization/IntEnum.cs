namespace Switchboard.Runtime.Tests.Serialization;

/// <summary>A int-backed, with a negative member enum for the enum codec tests.</summary>
public enum IntEnum
{
    A = -1,
    B = 1,
}
