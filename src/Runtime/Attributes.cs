namespace Switchboard.Runtime;

/// <summary>Fire-and-forget: the caller gets a completed task once the message is accepted for sending,
/// and neither a result nor an exception. Only valid on methods returning <see cref="Task"/> or <see cref="ValueTask"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OneWayAttribute : Attribute;

/// <summary>The method may run interleaved with any other request on the same activation (still one thread at a time).
/// Use for read-only queries that must not wait behind long turns.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;

/// <summary>The method does not change grain state: it may interleave with other <see cref="ReadOnlyAttribute"/> requests.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute;

/// <summary>Asks the code generator to emit a serializer for this type. Members to serialize carry <see cref="IdAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Enum)]
public sealed class GenerateSerializerAttribute : Attribute;

/// <summary>Stable field id of a serialized member (property, field, or record primary-constructor parameter).</summary>
/// <param name="id">Field id; fields are written in ascending id order.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class IdAttribute(uint id) : Attribute
{
    /// <summary>The field id.</summary>
    public uint Id { get; } = id;
}

/// <summary>Names the grain type of a grain interface on the wire (default: interface name without the leading
/// <c>I</c> and trailing <c>Grain</c>, lower-cased; <c>IConnectionGrain</c> becomes <c>connection</c>).</summary>
/// <param name="name">The grain type name.</param>
[AttributeUsage(AttributeTargets.Interface)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    /// <summary>The grain type name.</summary>
    public string Name { get; } = name;
}
