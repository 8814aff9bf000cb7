namespace Switchboard.Runtime.Invocation;

/// <summary>Per-method scheduling and delivery flags, taken from attributes by the code generator.</summary>
[Flags]
public enum InvocationFlags : byte
{
    /// <summary>A request/response call that takes an exclusive turn.</summary>
    None = 0,
    /// <summary><see cref="OneWayAttribute"/>: no response is sent.</summary>
    OneWay = 1,
    /// <summary><see cref="AlwaysInterleaveAttribute"/>: runs alongside any other request.</summary>
    AlwaysInterleave = 2,
    /// <summary><see cref="ReadOnlyAttribute"/>: runs alongside other read-only requests.</summary>
    ReadOnly = 4,
}
